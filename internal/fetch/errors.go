package fetch

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
)

// Message turns an attempt's error into a short, stable, lower-case text
// for records: "timeout", "dns: no such host", "connection refused",
// "connection reset", "too many redirects", "tls: ...", and so on.
func Message(err error) string {
	if err == nil {
		return ""
	}
	var dnsErr *net.DNSError
	var certErr *x509.CertificateInvalidError
	var authErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "dns: no such host"
		}
		if dnsErr.IsTimeout {
			return "dns: timeout"
		}
		return "dns: " + dnsErr.Err
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "host unreachable"
	case errors.Is(err, ErrTooManyRedirects):
		return "too many redirects"
	case errors.As(err, &authErr):
		return "tls: certificate signed by unknown authority"
	case errors.As(err, &hostErr):
		return "tls: certificate is not valid for this host"
	case errors.As(err, &certErr):
		return "tls: invalid certificate"
	case errors.As(err, &recErr):
		return "tls: server does not speak tls"
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum):
		return "bad gzip body"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection closed early"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "net/http: ") {
		msg = msg[i+2:]
	}
	return strings.ToLower(strings.TrimPrefix(msg, "net/http: "))
}
