package urlnorm

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
)

const conformanceDir = "../../testdata/conformance/"

// Floors for the WHATWG table: the scores reached when they were set, so
// that a regression fails. Raise them when the score improves.
const (
	whatwgHTTPFloor    = 246 // of 247 cases whose href is http(s)
	whatwgOverallFloor = 890 // of 891 cases (non-http and failures must be rejected)
)

type whatwgCase struct {
	Input   string  `json:"input"`
	Base    *string `json:"base"`
	Href    string  `json:"href"`
	Failure bool    `json:"failure"`
}

func loadWHATWG(t *testing.T) []whatwgCase {
	t.Helper()
	data, err := os.ReadFile(conformanceDir + "urltestdata.json")
	if err != nil {
		t.Skipf("conformance data not available: %v", err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	var cases []whatwgCase
	for _, r := range raw {
		if len(r) > 0 && r[0] == '{' {
			var c whatwgCase
			if err := json.Unmarshal(r, &c); err != nil {
				t.Fatal(err)
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// whatwgBase turns a test's base into the *url.URL a crawler would have: the
// canonical form of an http(s) document URL, net/url's parse of any other.
func whatwgBase(c whatwgCase) *url.URL {
	if c.Base == nil {
		return nil
	}
	s := *c.Base
	if n, err := Normalize(s); err == nil {
		s = n
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	return u
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "http:") || strings.HasPrefix(s, "https:")
}

// TestWHATWG scores Resolve on the WHATWG URL table. An http(s) case passes
// when Resolve gives the canonical form of the expected href (Normalize
// applied to it: fragment and empty query dropped, escapes normalised); any
// other case passes when Resolve rejects the input, since a crawler has no
// use for a mailto: or file: URL and must not follow an invalid one.
func TestWHATWG(t *testing.T) {
	var httpCases, httpPass, exact, overall, total int
	for _, c := range loadWHATWG(t) {
		total++
		got, ok := Resolve(whatwgBase(c), c.Input)
		if c.Failure || !isHTTPURL(c.Href) {
			if !ok {
				overall++
			} else if testing.Verbose() {
				t.Logf("accepted %q (base %v): %q, want rejection", c.Input, deref(c.Base), got)
			}
			continue
		}
		httpCases++
		if ok && got == c.Href {
			exact++
		}
		want, err := Normalize(c.Href)
		if ok && err == nil && got == want {
			httpPass++
			overall++
			continue
		}
		if testing.Verbose() {
			t.Logf("resolve %q (base %v) = %q, %v; want %q", c.Input, deref(c.Base), got, ok, want)
		}
		if ok {
			checkCanonical(t, got)
		}
	}
	t.Logf("WHATWG: http(s) cases %d/%d equivalent (%d byte-exact), overall %d/%d",
		httpPass, httpCases, exact, overall, total)
	if httpPass < whatwgHTTPFloor || overall < whatwgOverallFloor {
		t.Errorf("WHATWG score fell below the floor: http %d < %d or overall %d < %d",
			httpPass, whatwgHTTPFloor, overall, whatwgOverallFloor)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestRFC3986 runs the reference resolution examples of RFC 3986 section
// 5.4. Expected values are compared after Normalize, which drops the
// fragment; a non-http result ("g:h") must be rejected; for "http:g" the
// RFC allows the backward-compatible "http://a/b/c/g", which is what
// browsers do.
func TestRFC3986(t *testing.T) {
	data, err := os.ReadFile(conformanceDir + "rfc3986_resolution_examples.json")
	if err != nil {
		t.Skipf("conformance data not available: %v", err)
	}
	var table struct {
		Base  string `json:"base"`
		Cases []struct{ Section, Ref, Expected string }
	}
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	if len(table.Cases) != 42 {
		t.Fatalf("got %d cases, want 42", len(table.Cases))
	}
	base := mustParse(t, table.Base)
	for _, c := range table.Cases {
		got, ok := Resolve(base, c.Ref)
		expected := c.Expected
		if c.Ref == "http:g" {
			expected = "http://a/b/c/g"
		}
		if !isHTTPURL(expected) {
			if ok {
				t.Errorf("%s: Resolve(%q) = %q, want rejection of %q", c.Section, c.Ref, got, expected)
			}
			continue
		}
		want, err := Normalize(expected)
		if err != nil {
			t.Fatalf("%s: Normalize(%q): %v", c.Section, expected, err)
		}
		if !ok || got != want {
			t.Errorf("%s: Resolve(%q) = %q, %v; want %q", c.Section, c.Ref, got, ok, want)
		}
	}
}
