import bcrypt from 'bcryptjs';

const COST = 10;
// Compared against when the username is unknown, so a miss takes as long as a wrong password.
const DUMMY_HASH = bcrypt.hashSync('gongjian-dummy-password', COST);

export const hashPassword = (password: string) => bcrypt.hash(password, COST);
export const verifyPassword = (password: string, hash: string | null | undefined) => bcrypt.compare(password, hash ?? DUMMY_HASH);
