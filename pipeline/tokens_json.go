package pipeline

// TokensJSON is a sentence's tokens as the Writer writes its "tokens" array
// in JSON lines (AppendTokenJSON): a json.Marshaler, so that other JSON (the
// HTTP server's responses, package serve) embeds tokens written by the same
// code as nlp pipeline's output rather than by a second encoding that could
// drift. An encoder embedding it should not escape HTML characters
// (json.Encoder.SetEscapeHTML), as the Writer does not.
type TokensJSON []Token

// MarshalJSON returns the JSON array of the tokens.
func (ts TokensJSON) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+48*len(ts))
	b = append(b, '[')
	for i := range ts {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendTokenJSON(b, &ts[i])
	}
	return append(b, ']'), nil
}
