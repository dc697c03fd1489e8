import { PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from './errors';

/** A row id as a path writes it: digits only, no sign, no leading zero, within the integers a number holds exactly. */
const CANONICAL_ID = /^[1-9]\d{0,14}$/;

/**
 * A numeric route id, written as such: `7`, never `07`, `+7`, `7.0`, `7e0` or `0x7`, which Number() would read as 7
 * (one row reachable under many addresses, none of them the one the API gives out). Anything else is a field error
 * in our shape, not a bare 400.
 */
export const IdPipe: PipeTransform<string, number> = {
  transform(value: string): number {
    if (typeof value !== 'string' || !CANONICAL_ID.test(value)) {
      throw new ValidationFailedError([
        { field: 'id', messages: ['id must be a whole number from 1 up, written with digits only (as 7, not 07, +7 or 7e0)'] },
      ]);
    }
    return Number(value);
  },
};
