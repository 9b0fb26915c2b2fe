package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestSeedsFromArgsFilesAndStdin(t *testing.T) {
	s := newServer(t)
	for _, p := range []string{"/arg", "/file1", "/file2", "/stdin"} {
		s.page(p, p)
	}
	file := filepath.Join(t.TempDir(), "seeds.txt")
	content := "\ufeff# a comment after a byte-order mark\r\n\r\n   " + s.URL + "/file1  \r\n\t\n" + s.URL + "/file2\n   # indented comment\n"
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, s.URL+"/stdin\n", args("--seeds", file, "--seeds", "-", s.URL+"/arg")...)
	wantCode(t, r, 0)
	got := r.urls()
	sort.Strings(got)
	want := []string{s.URL + "/arg", s.URL + "/file1", s.URL + "/file2", s.URL + "/stdin"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("records %v, want %v", got, want)
	}
	for _, rec := range r.records {
		if rec["depth"] != 0.0 {
			t.Errorf("seed %v has depth %v", rec["url"], rec["depth"])
		}
	}
}

func TestBadSeeds(t *testing.T) {
	s := newServer(t)
	s.page("/", "root")
	dir := t.TempDir()
	file := filepath.Join(dir, "seeds.txt")
	if err := os.WriteFile(file, []byte(s.URL+"\n# ok\nnot a url\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  []string // substrings of stderr
	}{
		{"NoScheme", "", []string{s.URL, "example.com/x"}, []string{`"example.com/x"`, "argument 2"}},
		{"FTP", "", []string{"ftp://example.com/"}, []string{`"ftp://example.com/"`}},
		{"Relative", "", []string{"/index.html"}, []string{`"/index.html"`}},
		{"EmptyHost", "", []string{"http://"}, []string{`"http://"`}},
		{"SpaceInHost", "", []string{"http://exa mple.com/"}, []string{`"http://exa mple.com/"`}},
		{"BadPort", "", []string{"http://example.com:99999/"}, []string{"99999"}},
		{"FileLine", "", []string{"--seeds", file}, []string{`"not a url"`, "line 3", file}},
		{"StdinLine", "\n" + s.URL + "\nmailto:x@y\n", []string{"--seeds", "-"}, []string{`"mailto:x@y"`, "line 3"}},
		{"NoSeeds", "", nil, []string{"no seed"}},
		{"EmptySeedsFile", "# nothing\n\n", []string{"--seeds", "-"}, []string{"no seed"}},
		{"MissingSeedsFile", "", []string{"--seeds", filepath.Join(dir, "missing.txt")}, []string{"missing.txt"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.stdin, args(tc.args...)...)
			wantCode(t, r, 2)
			if r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not contain %q", r.stderr, w)
				}
			}
		})
	}
	if n := s.rec.Total(); n != 0 {
		t.Errorf("server saw %d requests after usage errors; want none", n)
	}
}

func TestBadFlags(t *testing.T) {
	s := newServer(t)
	s.page("/", "root")
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"-c", "0"}, []string{"--concurrency", "0"}},
		{[]string{"--concurrency", "-3"}, []string{"--concurrency", "-3"}},
		{[]string{"--per-host", "0"}, []string{"--per-host", "0"}},
		{[]string{"--rate", "-1"}, []string{"--rate", "-1"}},
		{[]string{"--rate", "fast"}, []string{"--rate", "fast"}},
		{[]string{"--max-depth", "-2"}, []string{"--max-depth", "-2"}},
		{[]string{"--max-pages", "-1"}, []string{"--max-pages", "-1"}},
		{[]string{"--retries", "-1"}, []string{"--retries", "-1"}},
		{[]string{"--timeout", "0"}, []string{"--timeout", "0"}},
		{[]string{"--timeout", "soon"}, []string{"--timeout", "soon"}},
		{[]string{"--max-time", "-5s"}, []string{"--max-time", "-5s"}},
		{[]string{"--max-body", "10XB"}, []string{"--max-body", "10XB"}},
		{[]string{"--max-body", "0"}, []string{"--max-body", "0"}},
		{[]string{"--scope", "planet"}, []string{"--scope", "planet"}},
		{[]string{"--progress", "sometimes"}, []string{"--progress", "sometimes"}},
		{[]string{"--include", "("}, []string{"--include", "("}},
		{[]string{"--exclude", "[a-"}, []string{"--exclude", "[a-"}},
		{[]string{"-H", "no colon"}, []string{"--header", "no colon"}},
		{[]string{"--no-such-flag"}, []string{"--no-such-flag"}},
		{[]string{"-q", "-v"}, []string{"--quiet", "--verbose"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := run(t, "", args(append(tc.args, s.URL)...)...)
			wantCode(t, r, 2)
			if r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not name %q", r.stderr, w)
				}
			}
		})
	}
	if n := s.rec.Total(); n != 0 {
		t.Errorf("server saw %d requests after usage errors; want none", n)
	}
}

func TestSizeAndDurationForms(t *testing.T) {
	s := newServer(t)
	s.page("/", "root")
	for _, a := range [][]string{
		{"--max-body", "1048576"}, {"--max-body", "512KB"}, {"--max-body", "1KiB"}, {"--max-body", "2MB"},
		{"--max-body", "1MiB"}, {"--max-body", "1GB"}, {"--max-body", "1GiB"}, {"--max-body", "100B"},
		{"--timeout", "2s"}, {"--timeout", "1500ms"}, {"--timeout", "3"}, {"--max-time", "1m"},
	} {
		r := run(t, "", args(append(a, s.URL)...)...)
		if r.code != 0 {
			t.Errorf("%v: exit %d: %s", a, r.code, r.stderr)
		}
	}
}
