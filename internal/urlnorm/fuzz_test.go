package urlnorm

import (
	"net/url"
	"testing"
)

var fuzzSeeds = []string{
	"http://example.com/", "HTTPS://Example.COM:443/a/./b/../c?q=%7e#f",
	"http://[::1]:8080/x", "http://0x7f.1/", "http://bücher.example/%zz",
	"http:\\\\a\\b", "//host/x", "../a?b", "http://user:pass@h/", "\t http://a\nb/ ",
	"http://a.b.c.xn--pokxncvks/", "http://%30%78%63%30.1/", "?q", "#f", "mailto:x@y",
}

func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := Normalize(raw)
		if err != nil {
			return
		}
		checkCanonical(t, s)
		u, err := url.Parse(s)
		if err != nil {
			t.Fatalf("net/url cannot parse %q: %v", s, err)
		}
		if key := HostKey(u); key != HostKeyOf(s) {
			t.Errorf("HostKey(%q) = %q, HostKeyOf = %q", s, key, HostKeyOf(s))
		}
	})
}

func FuzzResolve(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add("https://www.example.com/dir/page?x=1", s)
		f.Add("http://[::1]:8080/a/b", s)
	}
	f.Fuzz(func(t *testing.T, base, ref string) {
		b, err := url.Parse(base)
		if err != nil {
			b = nil
		}
		s, ok := Resolve(b, ref)
		if !ok {
			return
		}
		checkCanonical(t, s)
		if again, ok := Resolve(b, s); !ok || again != s {
			t.Errorf("Resolve(base, %q) = %q, %v; an absolute result must resolve to itself", s, again, ok)
		}
	})
}
