package testsite

import (
	"fmt"
	"strings"
)

// Hits returns how many requests page i received.
func (s *Site) Hits(i int) int { return int(s.hits[i].Load()) }

// PageHits is how many page requests were served, repeats included.
func (s *Site) PageHits() int64 { return s.pageHits.Load() }

// RobotsHits is how many times /robots.txt was requested.
func (s *Site) RobotsHits() int64 { return s.robots.Load() }

// Requests is how many requests were served: pages, robots.txt, 404s.
func (s *Site) Requests() int64 { return s.requests.Load() }

// Reset sets every counter back to zero. Call it between crawls, not
// during one: a request served meanwhile may be counted or not.
func (s *Site) Reset() {
	for i := range s.hits {
		s.hits[i].Store(0)
	}
	s.pageHits.Store(0)
	s.robots.Store(0)
	s.requests.Store(0)
}

// Coverage says which pages a crawl fetched.
type Coverage struct {
	Pages    int   // pages of the site
	Hit      int   // pages requested at least once
	Repeated int   // pages requested more than once
	PageHits int64 // page requests, repeats included
	Missing  []int // the first few pages never requested
	Repeats  []int // the first few pages requested more than once
}

// maxListed is how many missing and repeated pages a Coverage lists.
const maxListed = 5

// Coverage returns which pages have been requested so far.
func (s *Site) Coverage() Coverage {
	c := Coverage{Pages: len(s.hits), PageHits: s.pageHits.Load()}
	for i := range s.hits {
		switch n := s.hits[i].Load(); {
		case n == 0:
			if len(c.Missing) < maxListed {
				c.Missing = append(c.Missing, i)
			}
		case n > 1:
			c.Repeated++
			if len(c.Repeats) < maxListed {
				c.Repeats = append(c.Repeats, i)
			}
			fallthrough
		default:
			c.Hit++
		}
	}
	return c
}

// Complete reports whether every page was requested exactly once.
func (c Coverage) Complete() bool { return c.Hit == c.Pages && c.Repeated == 0 }

// String describes the coverage in a few words, such as "all 20000 pages
// once" or "19990/20000 pages (never: /p/3 /p/17 ...), 4 more than once
// (/p/0 ...)".
func (c Coverage) String() string {
	if c.Complete() {
		return fmt.Sprintf("all %d pages once", c.Pages)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d pages", c.Hit, c.Pages)
	if c.Hit < c.Pages {
		fmt.Fprintf(&b, " (never: %s)", listPaths(c.Missing, c.Pages-c.Hit))
	}
	if c.Repeated > 0 {
		fmt.Fprintf(&b, ", %d more than once (%s)", c.Repeated, listPaths(c.Repeats, c.Repeated))
	}
	return b.String()
}

func listPaths(pages []int, total int) string {
	paths := make([]string, len(pages))
	for i, p := range pages {
		paths[i] = Path(p)
	}
	if total > len(pages) {
		paths = append(paths, "...")
	}
	return strings.Join(paths, " ")
}

// CheckOnce returns nil when every page was requested exactly once, and
// an error saying which were not otherwise.
func (s *Site) CheckOnce() error {
	if c := s.Coverage(); !c.Complete() {
		return fmt.Errorf("testsite: %s", c)
	}
	return nil
}
