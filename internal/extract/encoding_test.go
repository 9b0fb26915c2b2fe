package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html/charset"
)

// encodingFloor is the html5lib score reached when it was set; the one
// case missed builds its <meta charset> by string concatenation in a script.
const encodingFloor = 82

type encodingCase struct {
	file, want string
	data       []byte
}

func loadEncodingCases(t *testing.T) []encodingCase {
	t.Helper()
	files, err := filepath.Glob("../../testdata/conformance/html5lib-encoding/*.dat")
	if err != nil || len(files) == 0 {
		t.Skipf("conformance data not available: %v", err)
	}
	var cases []encodingCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, block := range bytes.Split(data, []byte("#data\n"))[1:] {
			d, enc, ok := bytes.Cut(block, []byte("\n#encoding\n"))
			if !ok {
				t.Fatalf("%s: block without #encoding", f)
			}
			_, want := charset.Lookup(strings.TrimSpace(string(enc)))
			cases = append(cases, encodingCase{filepath.Base(f), want, d})
		}
	}
	return cases
}

// TestEncodingSniffing scores the sniffing against the html5lib encoding
// tests (no Content-Type, so BOM, prescan and fallbacks decide), next to
// golang.org/x/net/html/charset.DetermineEncoding for reference.
func TestEncodingSniffing(t *testing.T) {
	cases := loadEncodingCases(t)
	pass, ref := 0, 0
	for _, c := range cases {
		if _, name, _ := charset.DetermineEncoding(c.data, ""); name == c.want {
			ref++
		}
		name, _ := sniff(c.data, "")
		if name == c.want {
			pass++
		} else if testing.Verbose() {
			t.Logf("%s: got %s, want %s: %.80q", c.file, name, c.want, c.data)
		}
	}
	t.Logf("html5lib encoding: %d/%d (charset.DetermineEncoding: %d/%d)", pass, len(cases), ref, len(cases))
	if pass < encodingFloor {
		t.Errorf("score %d fell below the floor %d", pass, encodingFloor)
	}
}
