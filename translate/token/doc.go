// Package token prepares text for a translation model and turns the model's
// output back into text, in German, English and French: Tokenize splits a
// sentence into words and punctuation, keeping case; Detokenize joins tokens
// as a reader expects them ("a dog runs ." → "a dog runs."); a Truecaser
// (Moses-style) lower-cases a sentence's first word when it is usually written
// in lower case, so that "Ein" and "ein" are one word to the model while German
// nouns keep their capital, and Capitalize restores the capital of the output.
//
// Tokenize's words are those of package bleu's rule (\w+(?:[-']\w+)*): "don't",
// "e-mail" and "l'homme" stay whole. It adds what text for a model needs:
// numbers keep their decimal and thousands separators ("3.5", "1,000", "10:30"),
// the typographic apostrophe joins like the straight one ("l’homme"), combining
// marks stay in their word, a hyphen that ends a word before a space stays with
// it ("Ein- und Ausgang"), and a run of one punctuation character is one token
// ("...", "--", "!!"), except for quotes and brackets, which are paired.
package token
