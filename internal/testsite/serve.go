package testsite

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server serves sites on TCP listeners, one site per listener. Its
// fields are set by Serve and read-only afterwards.
type Server struct {
	Sites []*Site
	URLs  []string // base URL of each site, such as http://127.0.0.2:41234
	srvs  []*http.Server
	wg    sync.WaitGroup
}

// Serve starts one site made from cfg on each address (host:port; port
// 0 picks a free one). Close stops it.
func Serve(cfg SiteConfig, addrs ...string) (*Server, error) {
	if len(addrs) == 0 {
		return nil, errors.New("testsite: no address to serve on")
	}
	s := &Server{}
	for _, addr := range addrs {
		if err := s.add(cfg, addr); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// ServeLoopback starts n sites made from cfg, each a host of its own:
// on 127.0.0.2, 127.0.0.3, ... where the system routes all of 127.0.0.0/8
// to loopback (Linux does, with no setup), else on n ports of 127.0.0.1.
// One site is served on 127.0.0.1.
func ServeLoopback(n int, cfg SiteConfig) (*Server, error) {
	if n < 1 {
		return nil, errors.New("testsite: need at least one host")
	}
	addrs := make([]string, n)
	for i := range addrs {
		addrs[i] = "127.0.0.1:0"
	}
	if n == 1 {
		return Serve(cfg, addrs...)
	}
	for i := range addrs {
		ip := net.IPv4(127, byte((i+2)>>16), byte((i+2)>>8), byte(i+2))
		addrs[i] = net.JoinHostPort(ip.String(), "0")
	}
	s, err := Serve(cfg, addrs...)
	if err != nil {
		addrs = addrs[:0]
		for range n {
			addrs = append(addrs, "127.0.0.1:0")
		}
		s, err = Serve(cfg, addrs...)
	}
	return s, err
}

func (s *Server) add(cfg SiteConfig, addr string) error {
	site, err := NewSite(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("testsite: %w", err)
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 30 * time.Second}
	s.Sites = append(s.Sites, site)
	s.URLs = append(s.URLs, "http://"+ln.Addr().String())
	s.srvs = append(s.srvs, srv)
	s.wg.Go(func() { _ = srv.Serve(ln) }) // returns ErrServerClosed on Close
	return nil
}

// Reset resets the counters of every site.
func (s *Server) Reset() {
	for _, site := range s.Sites {
		site.Reset()
	}
}

// PageHits is how many page requests all sites served.
func (s *Server) PageHits() int64 {
	var n int64
	for _, site := range s.Sites {
		n += site.PageHits()
	}
	return n
}

// Coverage adds up the coverage of every site; the pages it lists are
// those of the first sites with missing or repeated pages.
func (s *Server) Coverage() Coverage {
	var all Coverage
	for _, site := range s.Sites {
		c := site.Coverage()
		all.Pages += c.Pages
		all.Hit += c.Hit
		all.Repeated += c.Repeated
		all.PageHits += c.PageHits
		all.Missing = append(all.Missing, c.Missing[:min(len(c.Missing), maxListed-len(all.Missing))]...)
		all.Repeats = append(all.Repeats, c.Repeats[:min(len(c.Repeats), maxListed-len(all.Repeats))]...)
	}
	return all
}

// Close stops every listener and connection, and returns when the
// serving goroutines have exited.
func (s *Server) Close() {
	for _, srv := range s.srvs {
		_ = srv.Close() // only reports listener close errors, which leave nothing to do
	}
	s.wg.Wait()
}
