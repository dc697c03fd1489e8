/**
 * Leaders, the committee and supervisors start at the year at a glance (总览, SPEC §14); everyone else at their
 * workbench. A supervisor's 总览 covers the courts chosen in the header: at sign-in, all of theirs.
 */
export const HOME_OVERVIEW_ROLES = ['leader', 'committee', 'supervisor'];
