import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsInt, IsNumber, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';
import { flattenValidationErrors, machineryKeyProblems, withMachineryProblems } from './validation';

class Score {
  @IsNumber({}, { message: 'score must be a number' }) @Min(0) @Max(100) score!: number;
  @IsInt() @Min(1) @Max(5) rating!: number;
  @MinLength(2) @MaxLength(3) code!: string;
}

const fields = (body: Record<string, unknown>) =>
  flattenValidationErrors(validateSync(plainToInstance(Score, { score: 50, rating: 3, code: 'ab', ...body })));

describe('validation messages', () => {
  it('say only that a field is of the wrong kind when it is, not every range it then misses', () => {
    expect(fields({ score: '85', rating: '4' })).toEqual([
      { field: 'score', messages: ['score must be a number'] },
      { field: 'rating', messages: ['rating must be an integer number'] },
    ]);
  });

  it('say every check a value of the right kind fails', () => {
    expect(fields({ score: 101, rating: 0 })).toEqual([
      { field: 'score', messages: ['score must not be greater than 100'] },
      { field: 'rating', messages: ['rating must not be less than 1'] },
    ]);
    expect(fields({ code: 'abcd' })).toEqual([{ field: 'code', messages: ['code must be shorter than or equal to 3 characters'] }]);
  });

  it('say only that a field is required when it was left out, not that it is of the wrong kind or too short', () => {
    const left = (omit: keyof Score) => {
      const body: Record<string, unknown> = { score: 50, rating: 3, code: 'ab' };
      delete body[omit];
      return flattenValidationErrors(validateSync(plainToInstance(Score, body)));
    };
    expect(left('score')).toEqual([{ field: 'score', messages: ['score is required'] }]);
    expect(left('code')).toEqual([{ field: 'code', messages: ['code is required'] }]);
    // Given, even as null or empty, it is judged by its checks.
    expect(fields({ score: null })).toEqual([{ field: 'score', messages: ['score must be a number'] }]);
    expect(fields({ code: '' })).toEqual([{ field: 'code', messages: ['code must be longer than or equal to 2 characters'] }]);
  });
});

describe(machineryKeyProblems.name, () => {
  it('names each key of a body that names an object’s machinery, in the order the body gives them, and no other key', () => {
    const body = JSON.parse('{"prototype":1,"foo":2,"constructor":{"x":1},"__proto__":{"y":2},"score":3}');
    expect(machineryKeyProblems(body)).toEqual([
      { field: 'prototype', messages: ['property prototype should not exist'] },
      { field: 'constructor', messages: ['property constructor should not exist'] },
      { field: '__proto__', messages: ['property __proto__ should not exist'] },
    ]);
    expect(machineryKeyProblems({ score: 3, foo: { bar: 1 }, list: [1, 'constructor'] })).toEqual([]);
  });

  it('names them at any depth, by the path class-validator gives a nested field, and not what they hold', () => {
    const body = JSON.parse('{"items":[{"title":"a"},{"title":"b","__proto__":{"constructor":1}}],"foo":{"constructor":{"x":1}}}');
    expect(machineryKeyProblems(body)).toEqual([
      { field: 'items.1.__proto__', messages: ['property __proto__ should not exist'] },
      { field: 'foo.constructor', messages: ['property constructor should not exist'] },
    ]);
  });
});

describe(withMachineryProblems.name, () => {
  it('adds to what validation found the machinery keys it does not cover already, the field itself or one holding it', () => {
    const body = JSON.parse('{"prototype":1,"foo":{"__proto__":{}},"items":[{"constructor":1}]}');
    const found = [
      { field: 'prototype', messages: ['property prototype should not exist'] },
      { field: 'foo', messages: ['property foo should not exist'] },
    ];
    expect(withMachineryProblems(found, machineryKeyProblems(body))).toEqual([
      ...found,
      { field: 'items.0.constructor', messages: ['property constructor should not exist'] },
    ]);
    expect(withMachineryProblems([], machineryKeyProblems({ items: [{ title: 'a' }] }))).toEqual([]);
  });
});
