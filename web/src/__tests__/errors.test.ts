import { describe, expect, it } from 'vitest';
import { ApiError, parseEtag, toFieldErrors } from '../api/client';
import { codeText, errorMessage, needsReload } from '../api/errors';
import { fieldPath } from '../components/formErrors';

describe('errorMessage', () => {
  it('maps known codes to plain Chinese', () => {
    expect(errorMessage(new ApiError(403, 'FORBIDDEN', 'Forbidden'))).toBe('无权执行此操作');
    expect(errorMessage(new ApiError(403, 'SEPARATION_OF_DUTIES', 'x'))).toBe('提交人不得审批自己提交的事项（四眼原则）');
    expect(errorMessage(new ApiError(412, 'VERSION_CONFLICT', 'x'))).toBe('该项目已被他人修改，已为您重新加载');
    expect(errorMessage(new ApiError(429, 'URGED_RECENTLY', 'x'))).toBe('24小时内已催办过');
    expect(errorMessage(new ApiError(422, 'QUARTER_REQUIREMENTS_NOT_MET', 'x'))).toBe('本季度缺少联席会议或共建活动日，请填写未达标原因');
  });

  it('speaks English when asked', () => {
    expect(errorMessage(new ApiError(403, 'FORBIDDEN', 'Forbidden'), 'en')).toBe('You are not allowed to do this');
  });

  it("falls back to the server's message for unknown codes", () => {
    expect(errorMessage(new ApiError(422, 'SOMETHING_NEW', '某条新规则未满足'))).toBe('某条新规则未满足');
  });

  it('falls back to the HTTP status when there is no message', () => {
    expect(errorMessage(new ApiError(404, 'HTTP_404', ''))).toBe('未找到该记录，或您无权查看');
    expect(errorMessage(new ApiError(503, 'HTTP_503', ''))).toBe('服务器出错，请稍后重试');
  });

  it('handles non-API errors', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage(undefined)).toBe('操作失败');
  });

  it('knows which errors need a reload', () => {
    expect(needsReload(new ApiError(412, 'VERSION_CONFLICT', ''))).toBe(true);
    expect(needsReload(new ApiError(409, 'INVALID_TRANSITION', ''))).toBe(true);
    expect(needsReload(new ApiError(403, 'FORBIDDEN', ''))).toBe(false);
  });

  it('returns null for unknown codes in codeText', () => {
    expect(codeText('NOPE')).toBeNull();
    expect(codeText('TOO_MANY_REQUESTS')).toBe('操作过于频繁，请稍后再试');
  });
});

describe('validation details', () => {
  it('reads {field, messages} details', () => {
    const e = new ApiError(400, 'VALIDATION_FAILED', 'bad', [
      { field: 'title', messages: ['title should not be empty'] },
      { field: 'partnerLiaisons.0.name', messages: 'name must be a string' },
      'junk',
    ]);
    expect(e.fieldErrors).toEqual([
      { field: 'title', messages: ['title should not be empty'] },
      { field: 'partnerLiaisons.0.name', messages: ['name must be a string'] },
    ]);
    expect(toFieldErrors(null)).toEqual([]);
  });

  it('turns field names into form paths', () => {
    expect(fieldPath('items[2].dueDate')).toEqual(['items', 2, 'dueDate']);
    expect(fieldPath('partnerLiaisons.0.name')).toEqual(['partnerLiaisons', 0, 'name']);
    expect(fieldPath('title')).toEqual(['title']);
  });
});

describe('parseEtag', () => {
  it('reads strong and weak ETags', () => {
    expect(parseEtag('"7"')).toBe(7);
    expect(parseEtag('W/"12"')).toBe(12);
    expect(parseEtag(null)).toBeNull();
    expect(parseEtag('"abc"')).toBeNull();
  });
});

describe('plainFieldMessage', () => {
  it('puts common validator messages in plain Chinese', async () => {
    const { plainFieldMessage } = await import('../api/errors');
    expect(plainFieldMessage('property year should not exist')).toBe('此项不能填写');
    expect(plainFieldMessage('title must not be blank')).toBe('此项不能为空');
    expect(plainFieldMessage('comment is required')).toBe('此项为必填项');
    expect(plainFieldMessage('comment must not contain a broken character (half of an emoji or a rare character)')).toBe(
      '含有残缺的字符（表情或生僻字只剩半个），请删除后重新输入',
    );
    expect(plainFieldMessage('score must be a number with at most one decimal')).toBe('最多保留一位小数');
    expect(plainFieldMessage('title must be shorter than or equal to 200 characters')).toBe('不能超过200个字');
    expect(plainFieldMessage('heldOn must be a date written YYYY-MM-DD')).toBe('请填写有效日期（年-月-日）');
    expect(plainFieldMessage('something else entirely')).toBe('something else entirely');
    expect(plainFieldMessage('title must not be blank', 'en')).toBe('title must not be blank');
  });

  it('puts the messages of our own validators in Chinese too, not only class-validator’s', async () => {
    const { plainFieldMessage } = await import('../api/errors');
    // Text pasted from a Word document can carry a vertical tab or another hidden character.
    expect(plainFieldMessage('theme must not contain control characters')).toBe('含有无法保存的隐藏字符（常见于从其他文档复制的文字），请删除后重新输入');
    expect(plainFieldMessage('each partner names one liaison: a partnerId may appear only once')).toBe('每个共建单位只填一名联络员，请删去重复的一行');
    expect(plainFieldMessage('username may contain only letters, digits, dot, dash and underscore')).toBe('用户名只能使用英文字母、数字、点、短横线和下划线');
    expect(plainFieldMessage('code must be 2 to 8 capital letters')).toBe('须为2至8个大写英文字母');
  });
});

describe('a 400 read by a person', () => {
  it('does not take field errors for a list of missing proposal fields', async () => {
    const { missingText } = await import('../api/errors');
    expect(missingText([{ field: 'comment', messages: ['comment must not be blank'] }])).toBeNull();
    expect(missingText({ missing: ['theme', 'partnerIds'] })).toBe('申报内容不完整，请填写：结对主题、共建单位');
  });

  it('says only "cannot be empty" for a field left empty, and each message once', async () => {
    const { plainFieldMessages } = await import('../api/errors');
    expect(
      plainFieldMessages(['content must be a string', 'content must not be blank', 'content must be shorter than or equal to 10000 characters']),
    ).toEqual(['此项不能为空']);
    expect(plainFieldMessages(['score must not be greater than 100', 'score must not be greater than 100'])).toEqual(['不能大于100']);
  });
});
