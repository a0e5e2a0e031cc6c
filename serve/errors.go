package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// httpError is an error with the status it is answered with.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// errorf returns an *httpError of status.
func errorf(status int, format string, args ...any) *httpError {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

// errorBody is every error's JSON: {"error": {"status", "message", "request_id"}}.
type errorBody struct {
	Error struct {
		Status    int    `json:"status"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

// writeError answers err: its status and message for an *httpError, 500 with
// a generic message (the cause logged) for anything else.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		s.log.Error("request failed", "request_id", requestID(r.Context()), "err", err)
		he = errorf(http.StatusInternalServerError, "internal error (request id %s)", requestID(r.Context()))
	}
	var body errorBody
	body.Error.Status, body.Error.Message, body.Error.RequestID = he.status, he.msg, requestID(r.Context())
	writeJSON(w, he.status, &body)
}

// writeJSON writes v as the JSON body of a response of status, HTML
// characters unescaped (the pipeline's JSON leaves them so too).
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only a bug makes our own values fail to encode.
		panic(fmt.Sprintf("serve: encoding a response: %v", err))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// checkContentType returns a 415 error unless the request's Content-Type is
// one of want (parameters such as charset aside; a charset must be UTF-8).
func checkContentType(r *http.Request, want ...string) error {
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil && (params["charset"] == "" || strings.EqualFold(params["charset"], "utf-8")) {
		for _, w := range want {
			if mt == w {
				return nil
			}
		}
	}
	if ct == "" {
		ct = "none"
	}
	return errorf(http.StatusUnsupportedMediaType, "Content-Type %s: want %s", ct, strings.Join(want, " or "))
}

// decodeJSON reads the request's body, one JSON object, into v: unknown
// fields, trailing data, a body over the limit and malformed JSON are errors
// (400, 413) whose message says what and where.
func decodeJSON(r *http.Request, v any) error {
	if err := checkContentType(r, "application/json"); err != nil {
		return err
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return jsonError(err)
		}
		return errorf(http.StatusBadRequest, "malformed JSON: data after the request's object")
	}
	return nil
}

// jsonError turns a decoding error into the 400 (or 413) that says what is wrong.
func jsonError(err error) error {
	var (
		mbe  *http.MaxBytesError
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		bad  *httpError
		body = http.StatusBadRequest
	)
	switch {
	case errors.As(err, &mbe):
		return errorf(http.StatusRequestEntityTooLarge, "request body over the %d-byte limit (--max-body)", mbe.Limit)
	case errors.As(err, &bad):
		return bad
	case errors.As(err, &syn):
		return errorf(body, "malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return errorf(body, "malformed JSON: the body must be an object, not %s", typ.Value)
		}
		return errorf(body, "field %q: want %s, got %s", field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF):
		return errorf(body, "empty body: want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(body, "malformed JSON: the body ends in the middle of a value")
	}
	if msg, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return errorf(body, "unknown field %s", msg)
	}
	return errorf(body, "malformed JSON: %v", err)
}
