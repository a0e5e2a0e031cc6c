package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/serve"
	"github.com/nlp-go/nlp/serve/web"
)

// testServer is the real server of the built-in tagger, classifier and
// translator (its log discarded), with the page in front of it:
// web.Handler passes every path that is not one of the page's files to the API.
// (The test is in package web_test because serve wires the page in: package
// web cannot import serve.)
func testServer(t *testing.T, cfg serve.Config) http.Handler {
	t.Helper()
	tm, err := models.Tagger()
	if err != nil {
		t.Fatal(err)
	}
	cm, err := models.Classifier()
	if err != nil {
		t.Fatal(err)
	}
	trm, err := models.Translator()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := serve.New(cfg, serve.Models{Tagger: tm, Classifier: cm, Translator: trm})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return web.Handler(web.NotFound(s.Handler()))
}

// chromiumNames are the names a Chromium (or Chrome) binary goes by on PATH.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// findChromium returns the browser of $CHROME_PATH, or the first of
// chromiumNames on PATH, or "" when there is none.
func findChromium() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshotPath is where TestBrowser saves its picture of the page: out/ at the
// root of the repository (git-ignored); docs/serve-page.png is a copy of it.
const screenshotPath = "../../out/serve-page.png"

// apiToken is one token of the API's answer, as the test compares them with the page.
type apiToken struct {
	Form string `json:"form"`
	UPOS string `json:"upos"`
	XPOS string `json:"xpos"`
}

func postJSON(t *testing.T, url string, req, resp any) {
	t.Helper()
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	r, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	if r.StatusCode != 200 {
		t.Fatalf("POST %s: %d %s", url, r.StatusCode, b)
	}
	if err := json.Unmarshal(b, resp); err != nil {
		t.Fatalf("POST %s: %v in %s", url, err, b)
	}
}

// apiTags returns the tokens /v1/tag gives for text, one sentence after another.
func apiTags(t *testing.T, base, text string) []apiToken {
	var got struct {
		Sentences []struct {
			Tokens []apiToken `json:"tokens"`
		} `json:"sentences"`
	}
	postJSON(t, base+"/v1/tag", map[string]string{"text": text}, &got)
	var toks []apiToken
	for _, s := range got.Sentences {
		toks = append(toks, s.Tokens...)
	}
	return toks
}

// pageTags returns the tokens the page shows: each word's form and the tags in
// its data attributes, which are what its tooltip and tag line are made of.
const pageTags = `Array.from(document.querySelectorAll('#results .tok')).map(e => ({form: e.dataset.form, upos: e.dataset.upos, xpos: e.dataset.xpos}))`

// TestBrowser loads the page in headless Chromium against the server, types a
// sentence, submits it with the button, and checks that the words shown carry
// the tags /v1/tag gives for it, each part of speech in its own colour, with a
// sentiment bar that says what /v1/classify says; then submits another with
// Ctrl+Enter, checks an error reaches the alert region, and saves a screenshot.
// Skipped when no Chromium is installed.
func TestBrowser(t *testing.T) {
	chrome := findChromium()
	if chrome == "" {
		t.Skipf("no Chromium binary found (looked for $CHROME_PATH and %s on PATH): install chromium to run the browser test", strings.Join(chromiumNames, ", "))
	}
	if testing.Short() {
		t.Skip("-short: the browser test starts Chromium")
	}
	srv := httptest.NewServer(testServer(t, serve.Config{}))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.WindowSize(900, 700),
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	defer cancelBrowser()

	// The console's errors (a CSP violation, a script error) fail the test.
	// The listener runs on chromedp's goroutine, hence the lock.
	var (
		mu            sync.Mutex
		consoleErrors []string
	)
	chromedp.ListenTarget(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				msg = "console.error"
				for _, a := range e.Args {
					msg += " " + string(a.Value) + a.Description
				}
			}
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.LevelError {
				msg = string(e.Entry.Source) + ": " + e.Entry.Text + " " + e.Entry.URL
			}
		}
		if msg != "" {
			mu.Lock()
			consoleErrors = append(consoleErrors, msg)
			mu.Unlock()
		}
	})

	first := "The new library is fast and the people who built it were very helpful."
	second := "Nobody liked the slow, broken update."
	var (
		shown1, shown2 []apiToken
		colours        []string
		label, width   string
		errText        string
		png            []byte
	)
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	run("load the page",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("#text", chromedp.ByQuery),
		chromedp.WaitVisible("#legend li", chromedp.ByQuery),
	)
	run("submit with the button",
		setText(""),
		chromedp.SendKeys("#text", first, chromedp.ByQuery),
		chromedp.Click("#submit", chromedp.ByQuery),
		chromedp.WaitVisible("#results .sentence .sentiment .fill", chromedp.ByQuery),
		chromedp.Evaluate(pageTags, &shown1),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#results .tok')).map(e => e.dataset.upos + '=' + getComputedStyle(e).backgroundColor)`, &colours),
		chromedp.Text("#results .sentence .sentiment-label", &label, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#results .sentence .fill').getBoundingClientRect().width + '/' + document.querySelector('#results .sentence .bar').getBoundingClientRect().width`, &width),
	)
	if want := apiTags(t, srv.URL, first); !reflect.DeepEqual(shown1, want) {
		t.Errorf("the page shows\n%v\n/v1/tag says\n%v", shown1, want)
	}
	checkColours(t, colours)
	checkSpacing(t, ctx, srv.URL, first)
	var cls struct {
		Results []struct {
			Label         string             `json:"label"`
			Probabilities map[string]float64 `json:"probabilities"`
		} `json:"results"`
	}
	postJSON(t, srv.URL+"/v1/classify", map[string]string{"text": first}, &cls)
	if len(cls.Results) != 1 {
		t.Fatalf("/v1/classify: %d results for one text", len(cls.Results))
	}
	c := cls.Results[0]
	if want := fmt.Sprintf("Sentiment: %s %.2f", c.Label, c.Probabilities[c.Label]); label != want {
		t.Errorf("sentiment label %q, /v1/classify says %q", label, want)
	}
	var fill, track float64
	if _, err := fmt.Sscanf(width, "%g/%g", &fill, &track); err != nil || track == 0 || fill/track < c.Probabilities[c.Label]-0.02 || fill/track > c.Probabilities[c.Label]+0.02 {
		t.Errorf("the sentiment bar is %s px wide, want a share %.2f of its track", width, c.Probabilities[c.Label])
	}

	checkTranslation(t, ctx, srv.URL, first)

	// Keyboard: a sentence is one Tab stop; the arrow keys move between its
	// words, and the focused word shows its tags.
	var focused []string
	run("arrow keys between words",
		chromedp.Focus("#results .sentence .tok", chromedp.ByQuery),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.Evaluate(`(() => { const e = document.activeElement;
			return [e.dataset.form, e.dataset.upos, e.dataset.xpos, getComputedStyle(e, '::after').content, String(e.tabIndex)]; })()`, &focused),
	)
	if len(shown1) > 2 {
		w := shown1[2]
		if len(focused) != 5 || focused[0] != w.Form || !strings.Contains(focused[3], w.UPOS+" · "+w.XPOS) || focused[4] != "0" {
			t.Errorf("after two ArrowRight the focus is on %q, want %q with its tags %s · %s shown and in the Tab order", focused, w.Form, w.UPOS, w.XPOS)
		}
	}

	run("submit with Ctrl+Enter",
		setText(""),
		chromedp.SendKeys("#text", second, chromedp.ByQuery),
		chromedp.Focus("#text", chromedp.ByQuery),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(input.ModifierCtrl)),
		chromedp.WaitVisible(`#results .tok[data-form="Nobody"]`, chromedp.ByQuery),
		chromedp.Evaluate(pageTags, &shown2),
	)
	if want := apiTags(t, srv.URL, second); !reflect.DeepEqual(shown2, want) {
		t.Errorf("after Ctrl+Enter the page shows\n%v\n/v1/tag says\n%v", shown2, want)
	}
	mu.Lock()
	if len(consoleErrors) > 0 {
		t.Errorf("the browser's console has errors:\n%s", strings.Join(consoleErrors, "\n"))
	}
	mu.Unlock()

	run("an error reaches the alert region",
		setText("   "),
		chromedp.Click("#submit", chromedp.ByQuery),
		chromedp.WaitVisible("#errors p", chromedp.ByQuery),
		chromedp.Text("#errors", &errText, chromedp.ByQuery),
	)
	if !strings.Contains(errText, "type some text") {
		t.Errorf("error region says %q", errText)
	}

	// A server that wants a token: the API's 401 and its message reach the
	// alert region and open the token field; with the token the text is tagged.
	authSrv := httptest.NewServer(testServer(t, serve.Config{Token: "s3cret"}))
	defer authSrv.Close()
	var authErr string
	var authOpen bool
	var shown3 []apiToken
	run("a 401 reaches the alert region",
		chromedp.Navigate(authSrv.URL+"/"),
		chromedp.WaitVisible("#errors p", chromedp.ByQuery),
		chromedp.Text("#errors", &authErr, chromedp.ByID),
		chromedp.Evaluate(`document.querySelector('#auth').open`, &authOpen),
	)
	if !strings.Contains(authErr, "HTTP 401") || !strings.Contains(authErr, "bearer token") || !authOpen {
		t.Errorf("without the token the alert region says %q (token field open: %v), want the API's 401 message", authErr, authOpen)
	}
	run("submit with the token",
		chromedp.SendKeys("#token", "s3cret", chromedp.ByQuery),
		setText(second),
		chromedp.Click("#submit", chromedp.ByQuery),
		chromedp.WaitVisible(`#results .tok[data-form="Nobody"]`, chromedp.ByQuery),
		chromedp.Evaluate(pageTags, &shown3),
	)
	if want := apiTags(t, srv.URL, second); !reflect.DeepEqual(shown3, want) {
		t.Errorf("with the token the page shows\n%v\n/v1/tag says\n%v", shown3, want)
	}

	// The picture of the README: two sentences of opposite sentiment, without
	// the translation (the built-in translator reads German, the tagger English).
	run("screenshot",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("#legend li", chromedp.ByQuery),
		chromedp.Click("#dotranslate", chromedp.ByQuery),
		setText(first+" "+second),
		chromedp.Click("#submit", chromedp.ByQuery),
		chromedp.WaitVisible("#results .sentence:nth-child(2) .sentiment .fill", chromedp.ByQuery),
		chromedp.Focus(`#results .tok[data-upos="NOUN"]`, chromedp.ByQuery),
		chromedp.FullScreenshot(&png, 100), // quality 100: PNG
	)
	if err := os.MkdirAll(filepath.Dir(screenshotPath), 0o755); err != nil {
		t.Fatal(err)
	}
	err := fileutil.WriteAtomic(screenshotPath, func(w io.Writer) error {
		_, err := w.Write(png)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", screenshotPath, len(png))
}

// checkSpacing checks the text between the words: with offsets (start, end) in
// the API's tokens the sentence reads as typed; without, the words are
// separated by single spaces.
func checkSpacing(t *testing.T, ctx context.Context, base, text string) {
	t.Helper()
	var got struct {
		Sentences []struct {
			Tokens []struct {
				Form       string
				Start, End *int
			} `json:"tokens"`
		} `json:"sentences"`
	}
	postJSON(t, base+"/v1/tag", map[string]string{"text": text}, &got)
	if len(got.Sentences) != 1 {
		t.Fatalf("/v1/tag: %d sentences in %q, want 1", len(got.Sentences), text)
	}
	offsets := true
	var forms []string
	for _, tok := range got.Sentences[0].Tokens {
		forms = append(forms, tok.Form)
		offsets = offsets && tok.Start != nil && tok.End != nil
	}
	want := strings.Join(forms, " ")
	if offsets {
		want = text
	}
	var shown string
	err := chromedp.Run(ctx, chromedp.Evaluate(`Array.from(document.querySelector('#results .sentence .tokens').childNodes).
		map(n => n.nodeType === Node.TEXT_NODE ? n.textContent : n.querySelector('.form').textContent).join('')`, &shown))
	if err != nil {
		t.Fatal(err)
	}
	if shown != want {
		t.Errorf("the sentence reads %q, want %q (offsets in the API's tokens: %v)", shown, want, offsets)
	}
}

// checkTranslation checks, when /v1/info lists a translator, that the first
// sentence shows the translation /v1/translate gives for text and its
// attention as a table of one row a target token and one column a source token.
func checkTranslation(t *testing.T, ctx context.Context, base, text string) {
	t.Helper()
	r, err := http.Get(base + "/v1/info")
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Models struct {
			Translator json.RawMessage `json:"translator"`
		} `json:"models"`
	}
	err = json.NewDecoder(r.Body).Decode(&info)
	r.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Models.Translator) == 0 || string(info.Models.Translator) == "null" {
		return
	}
	var tr struct {
		Translations []struct {
			Text           string `json:"text"`
			Source, Target []string
		} `json:"translations"`
	}
	postJSON(t, base+"/v1/translate", map[string]any{"texts": []string{text}, "attention": true}, &tr)
	if len(tr.Translations) != 1 {
		t.Fatalf("/v1/translate: %d translations of one text", len(tr.Translations))
	}
	want := tr.Translations[0]
	var shown string
	var shape []int
	err = chromedp.Run(ctx,
		chromedp.WaitVisible("#results .sentence .translation table", chromedp.ByQuery),
		chromedp.Text("#results .sentence .translated", &shown, chromedp.ByQuery),
		chromedp.Evaluate(`(() => { const t = document.querySelector('#results .sentence .translation table');
			return [t.tBodies[0].rows.length, t.tHead.rows[0].cells.length - 1]; })()`, &shape),
	)
	if err != nil {
		t.Fatalf("translation: %v", err)
	}
	if shown != want.Text {
		t.Errorf("translation shown %q, /v1/translate says %q", shown, want.Text)
	}
	if len(shape) != 2 || shape[0] != len(want.Target) || shape[1] != len(want.Source) {
		t.Errorf("attention table of %v rows×columns, want %d×%d", shape, len(want.Target), len(want.Source))
	}
}

// setText sets the text area's value as a paste would, with an input event.
// (chromedp.SetValue reads the value back and compares, which fails for ""
// with this Chromium.)
func setText(text string) chromedp.Action {
	js, _ := json.Marshal(text)
	return chromedp.Evaluate(`(() => { const t = document.querySelector('#text'); t.value = `+string(js)+
		`; t.dispatchEvent(new Event('input', {bubbles: true})); })()`, nil)
}

// checkColours checks that the words are coloured by part of speech: words of
// one UPOS share a background, words of different ones do not.
func checkColours(t *testing.T, colours []string) {
	t.Helper()
	byTag := map[string]string{}
	byColour := map[string]string{}
	for _, c := range colours {
		tag, bg, _ := strings.Cut(c, "=")
		if prev, ok := byTag[tag]; ok && prev != bg {
			t.Errorf("%s words in %s and %s", tag, prev, bg)
		}
		byTag[tag] = bg
		if prev, ok := byColour[bg]; ok && prev != tag {
			t.Errorf("%s and %s words share the colour %s", prev, tag, bg)
		}
		byColour[bg] = tag
	}
	if len(byTag) < 3 {
		t.Errorf("only %d parts of speech in %v: the sentence should show more", len(byTag), colours)
	}
}
