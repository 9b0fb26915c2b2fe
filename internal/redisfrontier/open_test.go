package redisfrontier_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/redisfrontier"
)

func TestOpenUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	start := time.Now()
	_, err = redisfrontier.Open(context.Background(), redisfrontier.Options{URL: "redis://" + addr + "/0", CrawlID: "x"})
	if !errors.Is(err, redisfrontier.ErrUnavailable) {
		t.Fatalf("Open = %v, want ErrUnavailable", err)
	}
	if !strings.Contains(err.Error(), addr) || !strings.HasPrefix(err.Error(), "redisfrontier: ") {
		t.Errorf("error %q should start with the package and name %s", err, addr)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Open took %v to fail", d)
	}
}

func TestOpenInvalid(t *testing.T) {
	for _, o := range []redisfrontier.Options{
		{URL: "redis://127.0.0.1:1/0", CrawlID: ""},
		{URL: "redis://127.0.0.1:1/0", CrawlID: "a b"},
		{URL: "redis://127.0.0.1:1/0", CrawlID: "a*"},
		{URL: "http://127.0.0.1:1/", CrawlID: "a"},
		{URL: "redis://:pw@127.0.0.1:1/zero", CrawlID: "a"},
	} {
		_, err := redisfrontier.Open(context.Background(), o)
		if err == nil || errors.Is(err, redisfrontier.ErrUnavailable) || !strings.HasPrefix(err.Error(), "redisfrontier: ") {
			t.Errorf("Open(%+v) = %v, want an error about the options", o, err)
		}
		if err != nil && strings.Contains(err.Error(), "pw") {
			t.Errorf("error %q shows the password", err)
		}
	}
}

func TestCrawlID(t *testing.T) {
	a := redisfrontier.CrawlID([]string{"https://b/", "https://a/", "https://a/"})
	b := redisfrontier.CrawlID([]string{"https://a/", "https://b/"})
	c := redisfrontier.CrawlID([]string{"https://a/"})
	if a != b || a == c || len(a) != 12 {
		t.Fatalf("CrawlID: %q %q %q; want the first two equal, 12 characters, the third different", a, b, c)
	}
}
