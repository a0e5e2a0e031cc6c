package pipeline

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// The JSON of a sentence and of a token is written here by hand, byte for byte
// what encoding/json writes for the same fields with HTML escaping off
// (TestJSONMatchesEncoder checks it): encoding/json reflects over every token,
// and cannot leave "start" out of one token but not of another.

// AppendTokenJSON appends the JSON object of token t to dst and returns the
// extended slice:
//
//	{"form":"It","start":0,"end":2,"upos":"PRON","xpos":"PRP","vector":[0.1,...]}
//
// start and end (see Token) only when the token has offsets, upos and xpos when
// they are set, vector when it has one. A vector component that JSON cannot
// write (NaN, an infinity) is written as null; Writer refuses such a sentence
// before writing any of it.
func AppendTokenJSON(dst []byte, t *Token) []byte {
	dst = append(dst, `{"form":`...)
	dst = appendJSONString(dst, t.Form)
	if t.HasOffsets() {
		dst = append(dst, `,"start":`...)
		dst = strconv.AppendInt(dst, int64(t.Start), 10)
		dst = append(dst, `,"end":`...)
		dst = strconv.AppendInt(dst, int64(t.End), 10)
	}
	if t.UPOS != "" {
		dst = append(dst, `,"upos":`...)
		dst = appendJSONString(dst, t.UPOS)
	}
	if t.XPOS != "" {
		dst = append(dst, `,"xpos":`...)
		dst = appendJSONString(dst, t.XPOS)
	}
	if len(t.Vector) > 0 {
		dst = append(dst, `,"vector":[`...)
		for i, v := range t.Vector {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONFloat(dst, float64(v), 32)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// AppendSentenceJSON appends the JSON object of sentence i of d to dst — the
// line Writer writes for it, without the line break — and returns the extended
// slice. See Writer for its fields.
func AppendSentenceJSON(dst []byte, d *Document, i int) []byte {
	return appendSentenceJSON(dst, d, i, nil)
}

// appendSentenceJSON is AppendSentenceJSON; when flush is not nil, it is given
// what has been appended so far whenever that exceeds jsonChunk bytes, and
// returns the slice to go on with, so that a long sentence takes bounded memory.
func appendSentenceJSON(dst []byte, d *Document, i int, flush func([]byte) []byte) []byte {
	s := d.Sentences[i]
	dst = append(dst, `{"doc":`...)
	dst = strconv.AppendInt(dst, int64(d.Index), 10)
	if d.ID != "" {
		dst = append(dst, `,"id":`...)
		dst = appendJSONString(dst, d.ID)
	}
	dst = append(dst, `,"sent":`...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, `,"text":`...)
	if s.Text != "" {
		dst = appendJSONString(dst, s.Text)
	} else {
		dst = appendJSONString(dst, joinForms(s.Tokens))
	}
	dst = append(dst, `,"tokens":[`...)
	for k := range s.Tokens {
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = AppendTokenJSON(dst, &s.Tokens[k])
		if flush != nil && len(dst) > jsonChunk {
			dst = flush(dst)
		}
	}
	dst = append(dst, ']')
	if s.Sentiment != nil {
		dst = append(dst, `,"sentiment":{"label":`...)
		dst = appendJSONString(dst, s.Sentiment.Label)
		dst = append(dst, `,"prob":`...)
		dst = appendJSONFloat(dst, s.Sentiment.Prob, 64)
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// jsonChunk is how many bytes of a sentence's JSON Writer holds before writing
// them out.
const jsonChunk = 32 << 10

// finiteJSON reports whether every number of s can be written in JSON.
func finiteJSON(s *Sentence) bool {
	if s.Sentiment != nil && !finite(s.Sentiment.Prob) {
		return false
	}
	for k := range s.Tokens {
		for _, v := range s.Tokens[k].Vector {
			if !finite(float64(v)) {
				return false
			}
		}
	}
	return true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// appendJSONFloat appends f as encoding/json writes a float of bits bits
// (ECMAScript's shortest form: exponents below 1e-6 and from 1e21), or null
// when JSON has no number for it.
func appendJSONFloat(dst []byte, f float64, bits int) []byte {
	if !finite(f) {
		return append(dst, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' {
		// e-07 → e-7, as ECMAScript writes it.
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaped as encoding/json escapes
// it without HTML escaping: quote, backslash and control characters, U+2028
// and U+2029, and invalid UTF-8 as U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
