package extract

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestIsHTML(t *testing.T) {
	tests := []struct {
		ct   string
		want bool
	}{
		{"text/html", true},
		{"text/html; charset=utf-8", true},
		{"TEXT/HTML;charset=ISO-8859-1", true},
		{" text/html ; q=1", true},
		{"application/xhtml+xml", true},
		{"Application/XHTML+XML; charset=utf-8", true},
		{"text/plain", false},
		{"application/xml", false},
		{"text/htmlx", false},
		{"application/json; text/html", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsHTML(tt.ct); got != tt.want {
			t.Errorf("IsHTML(%q) = %v, want %v", tt.ct, got, tt.want)
		}
	}
}

func TestRefreshURL(t *testing.T) {
	tests := []struct{ content, want string }{
		{"5; url=http://example.com/", "http://example.com/"},
		{"5;URL=/a", "/a"},
		{"0; Url = '/quoted' rest", "/quoted"},
		{`0;url="/dq`, "/dq"},
		{"0, url=/comma", "/comma"},
		{"0; /bare", "/bare"},
		{"0 /space", "/space"},
		{"0; '/bare-quoted'", "/bare-quoted"},
		{"  3.5 ; url=/frac", "/frac"},
		{".5; url=/dot", "/dot"},
		{"0;urlx", "urlx"},
		{"0; ur", "ur"},
		{"0; url", "url"},
		{"0; url=", ""},
		{"5", ""},
		{"5;", ""},
		{"", ""},
		{"x; url=/a", ""},
		{"5x; url=/a", ""},
	}
	for _, tt := range tests {
		got, ok := refreshURL([]byte(tt.content))
		if string(got) != tt.want || ok != (tt.want != "") {
			t.Errorf("refreshURL(%q) = %q, %v; want %q", tt.content, got, ok, tt.want)
		}
	}
}

func TestHasToken(t *testing.T) {
	tests := []struct {
		list, word string
		want       bool
	}{
		{"nofollow", "nofollow", true},
		{" NoFollow noopener", "nofollow", true},
		{"noopener\tnofollow\n", "nofollow", true},
		{"noindex,nofollow", "nofollow", true},
		{"noindex, NONE", "none", true},
		{"nofollowx", "nofollow", false},
		{"no-follow", "nofollow", false},
		{"", "nofollow", false},
	}
	for _, tt := range tests {
		if got := hasToken([]byte(tt.list), tt.word); got != tt.want {
			t.Errorf("hasToken(%q, %q) = %v", tt.list, tt.word, got)
		}
	}
}

func TestLinkRel(t *testing.T) {
	tests := []struct {
		rel  string
		want bool
	}{
		{"alternate", true}, {"Next", true}, {"prev", true}, {"alternate feed", true},
		{"alternate stylesheet", false}, {"stylesheet", false}, {"canonical", false},
		{"previous", false}, {"nextx", false}, {"", false},
	}
	for _, tt := range tests {
		if got := isPageRel([]byte(tt.rel)); got != tt.want {
			t.Errorf("isPageRel(%q) = %v", tt.rel, got)
		}
	}
}

func TestTitle(t *testing.T) {
	long := strings.Repeat("é", MaxTitle)
	tests := []struct{ name, page, want string }{
		{"plain", "<title>Hello</title>", "Hello"},
		{"collapsed", "<title>\n\t a  \r\n b\f </title>", "a b"},
		{"entities", "<title>&lt;&amp;&gt; &eacute;&#233;&#xE9; &copy</title>", "<&> ééé ©"},
		{"tags are text", "<title>a <b>b</b></title>", "a <b>b</b>"},
		{"first wins", "<title>one</title><title>two</title>", "one"},
		{"svg title skipped", "<svg><title>icon</title></svg><title>page</title>", "page"},
		{"only svg title", "<svg><title>icon</title></svg>", ""},
		{"in body", "<body><p>x</p><title>late</title>", "late"},
		{"unclosed", "<title>runs to the end <a href=/x>", "runs to the end <a href=/x>"},
		{"empty", "<title></title><title>second</title>", ""},
		{"none", "<p>no title</p>", ""},
		{"too long", "<title>" + long + "</title>", long[:MaxTitle]},
		{"invalid utf-8", "<meta charset=utf-8><title>a\xffb</title>", "a\uFFFDb"},
	}
	base := mustParse(t, goldenBase)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTML([]byte(tt.page), "text/html", base).Title; got != tt.want {
				t.Errorf("Title = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBase(t *testing.T) {
	tests := []struct{ name, page, want string }{
		{"none", `<a href="x">`, "https://example.com/dir/x"},
		{"absolute", `<base href="https://cdn.example/b/"><a href="x">`, "https://cdn.example/b/x"},
		{"relative to document", `<base href="../other/"><a href="x">`, "https://example.com/other/x"},
		{"applies to earlier links", `<a href="x"><base href="/b/">`, "https://example.com/b/x"},
		{"first with href wins", `<base target=_top><base href="/one/"><base href="/two/"><a href="x">`, "https://example.com/one/x"},
		{"javascript ignored", `<base href="javascript:x"><a href="x">`, "https://example.com/dir/x"},
		{"in script ignored", `<script>"<base href='/s/'>"</script><a href="x">`, "https://example.com/dir/x"},
		{"upper case", `<BASE HREF="/up/"><a href="x">`, "https://example.com/up/x"},
	}
	base := mustParse(t, goldenBase)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			links := HTML([]byte(tt.page), "text/html", base).Links
			if len(links) != 1 || links[0].URL != tt.want {
				t.Errorf("Links = %v, want [%s]", links, tt.want)
			}
		})
	}
}

func TestCharset(t *testing.T) {
	latin1 := "<title>caf\xe9</title>"
	tests := []struct{ name, ct, body, charset, title string }{
		{"header", "text/html; charset=ISO-8859-1", latin1, "windows-1252", "café"},
		{"header quoted", `text/html; charset="utf-8"`, "<title>\xc3\xa9</title>", "utf-8", "é"},
		{"header beats meta", "text/html; charset=windows-1252", `<meta charset="utf-8">` + latin1, "windows-1252", "café"},
		{"bom beats header", "text/html; charset=windows-1252", "\xef\xbb\xbf<title>\xc3\xa9</title>", "utf-8", "é"},
		{"meta charset", "text/html", `<meta charset="iso-8859-15">` + latin1, "iso-8859-15", "café"},
		{"meta http-equiv", "", `<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">` + "<title>\xc1</title>", "koi8-r", "а"},
		{"meta content without http-equiv", "", `<meta content="text/html; charset=koi8-r">` + latin1, "windows-1252", "café"},
		{"meta utf-16 means utf-8", "", `<meta charset="utf-16">` + "<title>\xc3\xa9</title>", "utf-8", "é"},
		{"unknown label", "text/html; charset=bogus", latin1, "windows-1252", "café"},
		{"valid utf-8", "", "<title>\xc3\xa9</title>", "utf-8", "é"},
		{"late utf-8", "", strings.Repeat(" ", 2000) + "<title>\xc3\xa9</title>", "utf-8", "é"},
		{"late meta", "", "<!--" + strings.Repeat("x", 2000) + `--><meta charset="iso-8859-2">` + "<title>\xb1</title>", "iso-8859-2", "ą"},
		{"ascii", "", "<title>plain</title>", "windows-1252", "plain"},
		{"fallback", "", latin1, "windows-1252", "café"},
		{"shift_jis header", "text/html; charset=shift_jis", "<title>\x93\xfa\x96\x7b</title>", "shift_jis", "日本"},
		{"utf-16be bom", "", "\xfe\xff\x00<\x00t\x00i\x00t\x00l\x00e\x00>\x00\xe9\x00<\x00/\x00t\x00i\x00t\x00l\x00e\x00>", "utf-16be", "é"},
	}
	base := mustParse(t, goldenBase)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := HTML([]byte(tt.body), tt.ct, base)
			if r.Charset != tt.charset || r.Title != tt.title {
				t.Errorf("Charset, Title = %q, %q; want %q, %q", r.Charset, r.Title, tt.charset, tt.title)
			}
		})
	}
}

// TestLargePage checks a page of several megabytes with many links, most
// of them duplicates.
func TestLargePage(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("<html><head><title>Large</title></head><body>\n")
	const n = 50000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<p>paragraph %d with some text to make it longer <a href=\"/item/%d\">item</a></p>\n", i, i%(n/2))
	}
	b.WriteString("<a href=\"/last\">last</a></body></html>")
	base := mustParse(t, goldenBase)
	r := HTML(b.Bytes(), "text/html; charset=utf-8", base)
	if r.Title != "Large" || len(r.Links) != n/2+1 {
		t.Fatalf("Title %q, %d links; want Large, %d", r.Title, len(r.Links), n/2+1)
	}
	if got := r.Links[len(r.Links)-1].URL; got != "https://example.com/last" {
		t.Errorf("last link %q", got)
	}
}

// TestPure checks that HTML leaves the body as it was.
func TestPure(t *testing.T) {
	body := []byte(`<META CHARSET="ISO-8859-2"><BASE HREF="/B/"><A HREF="X" REL="NOFOLLOW">` + "\xb1</A>")
	orig := bytes.Clone(body)
	HTML(body, "TEXT/HTML", mustParse(t, goldenBase))
	if !bytes.Equal(body, orig) {
		t.Errorf("body changed to %q", body)
	}
}

// checkResult checks the invariants of any Result.
func checkResult(t *testing.T, r Result) {
	t.Helper()
	seen := map[string]bool{}
	for _, l := range r.Links {
		if seen[l.URL] {
			t.Errorf("duplicate link %q", l.URL)
		}
		seen[l.URL] = true
		if !strings.HasPrefix(l.URL, "http://") && !strings.HasPrefix(l.URL, "https://") || len(l.URL) > 2048 {
			t.Errorf("bad link %q", l.URL)
		}
	}
	if !utf8.ValidString(r.Title) || len(r.Title) > MaxTitle || strings.Trim(r.Title, " \t\n\f\r") != r.Title {
		t.Errorf("bad title %q", r.Title)
	}
	if r.Charset == "" {
		t.Error("no charset")
	}
}

func TestLinks(t *testing.T) {
	long := "/" + strings.Repeat("x", 2048)
	tests := []struct {
		name, page string
		want       []Link
	}{
		{"too long dropped", `<a href="` + long + `"><a href="/ok">`, []Link{{URL: "https://example.com/ok"}}},
		{"schemes dropped", `<a href="mailto:a@b"><a href="javascript:x"><a href="tel:1"><a href="data:,x"><a href="ftp://h/">`, nil},
		{"nofollow needs every occurrence", `<a href="/a" rel="nofollow"><a href="/a"><a href="/b" rel="nofollow"><a href="/b" rel=nofollow>`,
			[]Link{{URL: "https://example.com/a"}, {URL: "https://example.com/b", NoFollow: true}}},
		{"rel nofollow only on a and area", `<iframe src="/f" rel="nofollow"></iframe><link rel="next nofollow" href="/n">`,
			[]Link{{URL: "https://example.com/f"}, {URL: "https://example.com/n"}}},
		{"entities in href", `<a href="/?a=1&amp;b=2&copy=3&lt;">`, []Link{{URL: "https://example.com/?a=1&b=2&copy=3%3C"}}},
		{"whitespace trimmed", "<a href=\"\n\t /x \r\n\">", []Link{{URL: "https://example.com/x"}}},
		{"fragment dropped", `<a href="/x#a"><a href="/x#b">`, []Link{{URL: "https://example.com/x"}}},
		{"meta refresh", `<meta http-equiv="REFRESH" content="0;URL='https://other.example/'">`, []Link{{URL: "https://other.example/"}}},
	}
	base := mustParse(t, goldenBase)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HTML([]byte(tt.page), "text/html", base).Links
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Links = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNilBase(t *testing.T) {
	got := HTML([]byte(`<a href="/rel"><a href="https://abs.example/x">`), "text/html", nil).Links
	if len(got) != 1 || got[0].URL != "https://abs.example/x" {
		t.Errorf("Links = %v", got)
	}
}
