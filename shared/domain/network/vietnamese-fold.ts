/**
 * Vietnamese text folded for search: what a passenger types without diacritics, in any case, finds the name
 * written with them ("ben thanh" and "BEN THANH" find "Bến Thành"; "d" finds "đ").
 */

/** Lower case, without tone or vowel marks, đ as d, every run of punctuation and spaces as one space. */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
