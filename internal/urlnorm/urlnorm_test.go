package urlnorm

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"lowercase scheme and host", "HTTP://WWW.Example.COM/Path", "http://www.example.com/Path"},
		{"default http port", "http://example.com:80/", "http://example.com/"},
		{"default https port", "https://example.com:443/", "https://example.com/"},
		{"other port kept", "https://example.com:80/", "https://example.com:80/"},
		{"empty port", "http://example.com:/", "http://example.com/"},
		{"port leading zeros", "http://example.com:08080/", "http://example.com:8080/"},
		{"fragment dropped", "http://example.com/a#frag", "http://example.com/a"},
		{"empty fragment dropped", "http://example.com/a?b#", "http://example.com/a?b"},
		{"dot segments", "http://example.com/a/./b/../c", "http://example.com/a/c"},
		{"dot segments above root", "http://example.com/../../a", "http://example.com/a"},
		{"trailing dot-dot", "http://example.com/a/b/..", "http://example.com/a/"},
		{"encoded dot segments", "http://example.com/a/%2e/b/%2E%2e/c", "http://example.com/a/c"},
		{"empty path", "http://example.com", "http://example.com/"},
		{"empty path with query", "http://example.com?q", "http://example.com/?q"},
		{"uppercase escape hex", "http://example.com/a%3ab?x=%3a", "http://example.com/a%3Ab?x=%3A"},
		{"decode unreserved", "http://example.com/%7Euser/%41%2D%2E%5F%30", "http://example.com/~user/A-._0"},
		{"decode unreserved in query", "http://example.com/?%61=%7e", "http://example.com/?a=~"},
		{"reserved escapes kept", "http://example.com/a%2Fb?x=%26%3D", "http://example.com/a%2Fb?x=%26%3D"},
		{"space in path and query", "http://example.com/a b?c d", "http://example.com/a%20b?c%20d"},
		{"non-ascii path", "http://example.com/ä/€", "http://example.com/%C3%A4/%E2%82%AC"},
		{"non-ascii query", "http://example.com/?q=ä", "http://example.com/?q=%C3%A4"},
		{"path specials", "http://example.com/\"<>^`{|}", "http://example.com/%22%3C%3E%5E%60%7B%7C%7D"},
		{"query specials", "http://example.com/?\"<>'`{|}^", "http://example.com/?%22%3C%3E%27`{|}^"},
		{"controls encoded", "http://example.com/a\x01b\x7f", "http://example.com/a%01b%7F"},
		{"lone percent in path", "http://example.com/100%/%zz", "http://example.com/100%25/%25zz"},
		{"lone percent in query kept", "http://example.com/?p=100%", "http://example.com/?p=100%"},
		{"sub-delims kept", "http://example.com/a;b=c,d!$&'()*+:@?a=b&c=d;e", "http://example.com/a;b=c,d!$&'()*+:@?a=b&c=d;e"},
		{"query order kept", "http://example.com/?b=2&a=1&b=1", "http://example.com/?b=2&a=1&b=1"},
		{"empty query dropped", "http://example.com/a?", "http://example.com/a"},
		{"empty query and fragment dropped", "http://example.com/a?#x", "http://example.com/a"},
		{"query with only ampersand kept", "http://example.com/a?&", "http://example.com/a?&"},
		{"idn host", "http://Bücher.example/", "http://xn--bcher-kva.example/"},
		{"idn fullwidth and ideographic dot", "http://ｅｘａｍｐｌｅ。com/", "http://example.com/"},
		{"punycode kept", "http://xn--bcher-kva.example/", "http://xn--bcher-kva.example/"},
		{"percent-encoded host", "http://%62%C3%BCcher.example/", "http://xn--bcher-kva.example/"},
		{"trailing-dot host", "http://Example.com./a", "http://example.com./a"},
		{"ipv4", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/"},
		{"ipv4 hex and short forms", "http://0x7F.1/", "http://127.0.0.1/"},
		{"ipv4 single number", "http://3232235521/", "http://192.168.0.1/"},
		{"ipv4 octal", "http://0300.0250.0.01/", "http://192.168.0.1/"},
		{"ipv4 trailing dot", "http://10.0.0.1./", "http://10.0.0.1/"},
		{"ipv6", "http://[::1]/", "http://[::1]/"},
		{"ipv6 with port", "http://[::1]:8080/x", "http://[::1]:8080/x"},
		{"ipv6 compressed", "http://[2001:DB8:0:0:0:0:0:1]:80/", "http://[2001:db8::1]/"},
		{"ipv6 mapped ipv4", "http://[::ffff:192.168.0.1]/", "http://[::ffff:c0a8:1]/"},
		{"userinfo kept", "http://User:Pass@example.com/", "http://User:Pass@example.com/"},
		{"userinfo empty password", "http://user:@example.com/", "http://user@example.com/"},
		{"userinfo empty", "http://@example.com/", "http://example.com/"},
		{"userinfo escaped", "http://a b:c@d@example.com/", "http://a%20b:c%40d@example.com/"},
		{"leading and trailing space", " \x00http://example.com/ \n", "http://example.com/"},
		{"tab and newline inside", "http://exa\tmple.com/a\nb\r", "http://example.com/ab"},
		{"backslashes", "http:\\\\example.com\\a\\b?c\\d", "http://example.com/a/b?c\\d"},
		{"extra slashes", "https:///example.com/", "https://example.com/"},
		{"no slashes", "http:example.com/a", "http://example.com/a"},
		{"question mark only", "http://example.com?", "http://example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			checkCanonical(t, got)
		})
	}
}

// checkCanonical checks the invariants of every result: idempotence,
// length, and a lossless round trip through net/url.
func checkCanonical(t *testing.T, s string) {
	t.Helper()
	if again, err := Normalize(s); err != nil || again != s {
		t.Errorf("Normalize(%q) = %q, %v; not idempotent", s, again, err)
	}
	if len(s) > MaxLen {
		t.Errorf("result %q longer than MaxLen", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		t.Errorf("net/url cannot parse %q: %v", s, err)
		return
	}
	if u.String() != s {
		t.Errorf("net/url round trip of %q gives %q", s, u.String())
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrNotAbsolute},
		{"example.com/a", ErrNotAbsolute},
		{"/a/b", ErrNotAbsolute},
		{"//example.com/a", ErrNotAbsolute},
		{"ftp://example.com/", ErrScheme},
		{"mailto:a@example.com", ErrScheme},
		{"javascript:alert(1)", ErrScheme},
		{"http://", ErrHost},
		{"http:///", ErrHost},
		{"http://user@/", ErrHost},
		{"http://:80/", ErrHost},
		{"http://exa mple.com/", ErrHost},
		{"http://exa<mple.com/", ErrHost},
		{"http://exa%00mple.com/", ErrHost},
		{"http://[::1/", ErrHost},
		{"http://[1.2.3.4]/", ErrHost},
		{"http://[fe80::1%25eth0]/", ErrHost},
		{"http://256.0.0.1/", ErrHost},
		{"http://1.2.3.4.5/", ErrHost},
		{"http://0x100000000/", ErrHost},
		{"http://xn--a.b\u00fc/", ErrHost},
		{"http://example.com:65536/", ErrPort},
		{"http://example.com:8o/", ErrPort},
		{"http://example.com:80:80/", ErrPort},
		{"http://example.com/" + strings.Repeat("a", MaxLen), ErrTooLong},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("Normalize(%q) = %q, %v; want %v", tt.in, got, err, tt.want)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "urlnorm: ") {
			t.Errorf("error %q lacks the package prefix", msg)
		}
	}
}

func TestResolve(t *testing.T) {
	base := mustParse(t, "https://www.example.com/dir/page.html?x=1#top")
	tests := []struct{ ref, want string }{
		{"", "https://www.example.com/dir/page.html?x=1"},
		{"#frag", "https://www.example.com/dir/page.html?x=1"},
		{"?y=2", "https://www.example.com/dir/page.html?y=2"},
		{"other.html", "https://www.example.com/dir/other.html"},
		{"./a/../b", "https://www.example.com/dir/b"},
		{"../../up", "https://www.example.com/up"},
		{"/abs?q", "https://www.example.com/abs?q"},
		{"//cdn.example.org/x.js", "https://cdn.example.org/x.js"},
		{"///cdn.example.org/x.js", "https://cdn.example.org/x.js"},
		{"\\\\cdn.example.org\\x.js", "https://cdn.example.org/x.js"},
		{"/\\cdn.example.org/x", "https://cdn.example.org/x"},
		{"\\abs", "https://www.example.com/abs"},
		{"http://other.example/", "http://other.example/"},
		{"HTTPS://OTHER.example", "https://other.example/"},
		{"https:rel", "https://www.example.com/dir/rel"},
		{"https:/abs", "https://www.example.com/abs"},
		{"http:host.example/x", "http://host.example/x"},
		{"  \t/spaced  \n", "https://www.example.com/spaced"},
		{"/a\tb\nc", "https://www.example.com/abc"},
		{"a b", "https://www.example.com/dir/a%20b"},
		{"1a:b", "https://www.example.com/dir/1a:b"},
		{"é", "https://www.example.com/dir/%C3%A9"},
		{"?", "https://www.example.com/dir/page.html"},
	}
	for _, tt := range tests {
		got, ok := Resolve(base, tt.ref)
		if !ok || got != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.ref, got, ok, tt.want)
			continue
		}
		checkCanonical(t, got)
	}
}

func TestResolveRejects(t *testing.T) {
	base := mustParse(t, "https://www.example.com/dir/")
	for _, ref := range []string{
		"mailto:a@example.com", "javascript:void(0)", "tel:+123", "data:text/html,x",
		"ftp://example.com/", "about:blank", "//", "http://", "//exa mple.com/",
		"/" + strings.Repeat("x", MaxLen),
	} {
		if got, ok := Resolve(base, ref); ok {
			t.Errorf("Resolve(%q) = %q, want rejection", ref, got)
		}
	}
	if got, ok := Resolve(nil, "rel"); ok {
		t.Errorf("Resolve(nil, rel) = %q, want rejection", got)
	}
	ftp := mustParse(t, "ftp://example.com/dir/")
	if got, ok := Resolve(ftp, "rel"); ok {
		t.Errorf("Resolve(ftp base, rel) = %q, want rejection", got)
	}
	if got, ok := Resolve(ftp, "http://example.com/"); !ok || got != "http://example.com/" {
		t.Errorf("Resolve(ftp base, absolute) = %q, %v", got, ok)
	}
}

func TestResolveUncleanBase(t *testing.T) {
	base := mustParse(t, "HTTP://User@Example.COM:80/a/./b/c?q")
	got, ok := Resolve(base, "d")
	if want := "http://User@example.com/a/b/d"; !ok || got != want {
		t.Errorf("Resolve = %q, %v; want %q", got, ok, want)
	}
}

func TestHostKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a?b", "https://example.com"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"http://[::1]:8080/", "http://[::1]:8080"},
		{"http://user:pw@example.com/", "http://example.com"},
		{"HTTP://Example.COM:80/", "http://example.com"},
		{"https://example.com:443/", "https://example.com"},
		{"https://example.com:/", "https://example.com"},
	}
	for _, tt := range tests {
		if got := HostKey(mustParse(t, tt.in)); got != tt.want {
			t.Errorf("HostKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
		abs, err := Normalize(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := HostKeyOf(abs); got != tt.want {
			t.Errorf("HostKeyOf(%q) = %q, want %q", abs, got, tt.want)
		}
	}
}

func mustParse(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestResolveBytesDoesNotRetain checks that the result of ResolveBytes
// shares no memory with its input, for every kind of reference.
func TestResolveBytesDoesNotRetain(t *testing.T) {
	base := mustParse(t, "https://www.example.com/dir/page.html?x=1")
	for _, ref := range append([]string{"https://a.example/", "x", "?q", "#f", "//h/p"}, benchRefs...) {
		b := []byte(ref)
		got, ok := ResolveBytes(base, b)
		want, wantOK := Resolve(base, ref)
		for i := range b {
			b[i] = 'Z'
		}
		if got != want || ok != wantOK {
			t.Errorf("ResolveBytes(%q) = %q, %v after the input changed; want %q, %v", ref, got, ok, want, wantOK)
		}
	}
}

func TestOfStrings(t *testing.T) {
	for _, tc := range []struct{ in, key, host, uri string }{
		{"http://example.com/a/b?q=1#f", "http://example.com", "example.com", "/a/b?q=1"},
		{"https://u:p@example.com:8443/", "https://example.com:8443", "example.com", "/"},
		{"http://[::1]:8080/x", "http://[::1]:8080", "::1", "/x"},
		{"http://[::1]/x", "http://[::1]", "::1", "/x"},
		{"http://h", "http://h", "h", "/"},
		{"http://h?x", "http://h", "h", "/?x"},
		{"http://h#x", "http://h", "h", "/"},
	} {
		if got := HostKeyOf(tc.in); got != tc.key {
			t.Errorf("HostKeyOf(%q) = %q, want %q", tc.in, got, tc.key)
		}
		if got := HostnameOf(tc.in); got != tc.host {
			t.Errorf("HostnameOf(%q) = %q, want %q", tc.in, got, tc.host)
		}
		if got := RequestURIOf(tc.in); got != tc.uri {
			t.Errorf("RequestURIOf(%q) = %q, want %q", tc.in, got, tc.uri)
		}
	}
}
