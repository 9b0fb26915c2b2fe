package robots

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// googleCasesPath holds the cases of google/robotstxt's robots_test.cc,
// converted to JSON (see its "source" field).
const googleCasesPath = "../../testdata/conformance/google_robotstxt_cases.json"

type googleCases struct {
	Matcher []struct {
		ID         int    `json:"id"`
		Test       string `json:"test"`
		GoogleOnly bool   `json:"google_only"`
		Robotstxt  string `json:"robotstxt"`
		UserAgent  string `json:"user_agent"`
		URL        string `json:"url"`
		Allowed    bool   `json:"allowed"`
	} `json:"matcher_cases"`
	ValidUserAgent []struct {
		UserAgent *string `json:"user_agent"`
		Valid     bool    `json:"valid"`
	} `json:"valid_user_agent_cases"`
	PathParamsQuery []struct {
		URL  string `json:"url"`
		Path string `json:"path"`
	} `json:"get_path_params_query_cases"`
	MaybeEscapePattern []struct {
		Pattern string `json:"pattern"`
		Escaped string `json:"escaped"`
	} `json:"maybe_escape_pattern_cases"`
}

func loadGoogleCases(t *testing.T) *googleCases {
	t.Helper()
	data, err := os.ReadFile(googleCasesPath)
	if err != nil {
		t.Fatalf("read google cases: %v", err)
	}
	var c googleCases
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("decode google cases: %v", err)
	}
	return &c
}

// TestGoogleMatcherCases requires every RFC 9309 case to pass, and logs
// how many of Google's own extensions do.
func TestGoogleMatcherCases(t *testing.T) {
	cases := loadGoogleCases(t).Matcher
	var rfc, rfcPass, google, googlePass int
	var googleFail []int
	for _, c := range cases {
		got := Parse([]byte(c.Robotstxt)).Group(c.UserAgent).Allowed(pathParamsQuery(c.URL))
		ok := got == c.Allowed
		if c.GoogleOnly {
			google++
			if ok {
				googlePass++
			} else {
				googleFail = append(googleFail, c.ID)
			}
			continue
		}
		rfc++
		if ok {
			rfcPass++
		} else {
			t.Errorf("case %d (%s): agent %q url %.80q: allowed = %v, want %v\nrobots.txt:\n%.400s",
				c.ID, c.Test, c.UserAgent, c.URL, got, c.Allowed, c.Robotstxt)
		}
	}
	if rfc != 72 {
		t.Errorf("found %d RFC cases, want 72", rfc)
	}
	t.Logf("RFC 9309 cases: %d/%d pass", rfcPass, rfc)
	t.Logf("google-only cases: %d/%d pass; failing ids: %v", googlePass, google, googleFail)
}

func TestGoogleValidUserAgentCases(t *testing.T) {
	for _, c := range loadGoogleCases(t).ValidUserAgent {
		ua := ""
		if c.UserAgent != nil {
			ua = *c.UserAgent
		}
		if got := ValidProductToken(ua); got != c.Valid {
			t.Errorf("ValidProductToken(%q) = %v, want %v", ua, got, c.Valid)
		}
	}
}

func TestGoogleMaybeEscapePatternCases(t *testing.T) {
	for _, c := range loadGoogleCases(t).MaybeEscapePattern {
		if got := escape(c.Pattern, true); got != c.Escaped {
			t.Errorf("escape(%q) = %q, want %q", c.Pattern, got, c.Escaped)
		}
	}
}

// TestGooglePathParamsQueryCases checks the test helper that turns the
// cases' URLs into what Allowed takes.
func TestGooglePathParamsQueryCases(t *testing.T) {
	for _, c := range loadGoogleCases(t).PathParamsQuery {
		if got := pathParamsQuery(c.URL); got != c.Path {
			t.Errorf("pathParamsQuery(%q) = %q, want %q", c.URL, got, c.Path)
		}
	}
}

// pathParamsQuery is Google's GetPathParamsQuery: the path, params and
// query of a URL, without fragment, starting with '/'. The crawler itself
// uses url.URL.RequestURI instead.
func pathParamsQuery(url string) string {
	start := 0
	if strings.HasPrefix(url, "//") {
		start = 2 // a network-path reference: no scheme
	}
	early := indexAnyFrom(url, "/?;", start)
	schemeEnd := indexFrom(url, "://", start)
	switch {
	case schemeEnd < 0 || (early >= 0 && early < schemeEnd):
		schemeEnd = start // no scheme, or "://" is inside the path
	default:
		schemeEnd += len("://")
	}
	pathStart := indexAnyFrom(url, "/?;", schemeEnd)
	if pathStart < 0 {
		return "/"
	}
	end := len(url)
	if hash := indexFrom(url, "#", start); hash >= 0 {
		if hash < pathStart {
			return "/"
		}
		end = hash
	}
	if url[pathStart] != '/' {
		return "/" + url[pathStart:end]
	}
	return url[pathStart:end]
}

func indexFrom(s, sub string, from int) int {
	if i := strings.Index(s[from:], sub); i >= 0 {
		return from + i
	}
	return -1
}

func indexAnyFrom(s, chars string, from int) int {
	if i := strings.IndexAny(s[from:], chars); i >= 0 {
		return from + i
	}
	return -1
}
