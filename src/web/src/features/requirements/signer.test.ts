import { describe, expect, it } from 'vitest';
import { signerOf } from './signer';

describe('signerOf', () => {
  it('names the reader, another user (or its token), the system, or the raw id', () => {
    expect(signerOf('user:5', '5')).toEqual({ kind: 'you' });
    expect(signerOf('user:5/token:2', '5')).toEqual({ kind: 'you' });
    expect(signerOf('user:7', '5')).toEqual({ kind: 'user', userId: '7' });
    expect(signerOf('system:demo', '5')).toEqual({ kind: 'system', name: 'demo' });
    expect(signerOf('coordinator', undefined)).toEqual({ kind: 'other', id: 'coordinator' });
  });
});
