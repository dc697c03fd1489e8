import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { OmittableRequiredText, OmittableText, OptionalText, RequiredText } from './validators';

class Texts {
  @RequiredText(5, 'required') required!: string;
  @OptionalText(5, 'optional') optional?: string | null;
  @OmittableRequiredText(5, 'omittable, not blank') named?: string;
  @OmittableText(5, 'omittable, may be blank') note?: string;
}

/** The fields refused for this body, and the body as the pipe would pass it on. */
function check(body: Record<string, unknown>) {
  const dto = plainToInstance(Texts, { required: 'ok', ...body });
  return { refused: validateSync(dto).map((e) => e.property), dto };
}

describe('text validators', () => {
  it('trims what they are given and accept it within its length', () => {
    const { refused, dto } = check({ required: '  张三 ', optional: ' a ', named: ' b', note: 'c ' });
    expect(refused).toEqual([]);
    expect(dto).toMatchObject({ required: '张三', optional: 'a', named: 'b', note: 'c' });
  });

  it('refuse a required text left out, null, blank, too long or not a string', () => {
    for (const required of [undefined, null, '   ', '123456', 7]) expect(check({ required }).refused).toEqual(['required']);
  });

  it('let an optional text be left out, null or blank, but not too long', () => {
    for (const optional of [undefined, null, '  ']) expect(check({ optional }).refused).toEqual([]);
    expect(check({ optional: '123456' }).refused).toEqual(['optional']);
  });

  it('let an omittable text be left out, never null; the required kind never blank', () => {
    expect(check({}).refused).toEqual([]);
    expect(check({ named: null, note: null }).refused).toEqual(['named', 'note']);
    expect(check({ named: ' ', note: ' ' }).refused).toEqual(['named']);
    expect(check({ named: '123456', note: '123456' }).refused).toEqual(['named', 'note']);
  });

  it('refuse control characters other than tab and line breaks, in every kind', () => {
    expect(check({ required: '\u0000' }).refused).toEqual(['required']);
    expect(check({ optional: 'a\u0007b', named: 'x\u001b', note: '\u007f' }).refused).toEqual(['optional', 'named', 'note']);
    expect(check({ required: 'a\tb\r\n' }).refused).toEqual([]);
  });

  it('refuse half of a character (an unpaired surrogate), in every kind, and take whole ones beyond the BMP', () => {
    expect(check({ required: '\ud800' }).refused).toEqual(['required']);
    expect(check({ optional: 'a\udc00', named: '\ud83d', note: 'x\ud83dy' }).refused).toEqual(['optional', 'named', 'note']);
    expect(check({ required: '😀𠀀' }).refused).toEqual([]);
  });
});
