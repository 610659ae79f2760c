// A label before its value: "Reason: …" in English, "原因：…" in Chinese (a full-width colon, no space). The
// webviews get their labels already translated, so the label's own last character says which one it needs.

const CHINESE_END = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]$/;

export function labelled(label: string): string {
  return CHINESE_END.test(label) ? `${label}：` : `${label}: `;
}
