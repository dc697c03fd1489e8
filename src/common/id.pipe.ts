import { ParseIntPipe } from '@nestjs/common';
import { ValidationFailedError } from './errors';

/** A numeric route id; anything else is a field error in our shape, not a bare 400. */
export const IdPipe = new ParseIntPipe({
  exceptionFactory: () => new ValidationFailedError([{ field: 'id', messages: ['id must be a whole number'] }]),
});
