// Injected into the CLI bundle in place of Intl.Segmenter (scripts/bundle.mjs). string-width, which yargs'
// help layout uses, makes a segmenter when it is imported, and a process's first Intl.Segmenter loads
// ICU's word-break data: about 20 ms of every command's start-up, for text only help and usage errors
// lay out. This one makes the real segmenter when first asked to segment.
export class LazyIntlSegmenter {
  #options;
  #segmenter;
  constructor(...options) {
    this.#options = options;
  }
  #real() {
    return (this.#segmenter ??= new globalThis.Intl.Segmenter(...this.#options));
  }
  segment(input) {
    return this.#real().segment(input);
  }
  resolvedOptions() {
    return this.#real().resolvedOptions();
  }
}
