package datasets

import "unicode/utf8"

// decodeRune is utf8.DecodeRuneInString, named for brevity in the scanners.
func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }
