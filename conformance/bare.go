package conformance

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// restWait bounds the wait for bytes after an answer that announces no body, from a server
// that does not close the connection as Connection: close asks.
const restWait = 500 * time.Millisecond

// DoBare sends a request on a connection of its own (Connection: close) and reads the
// answer off the wire, so that bytes after a header block that allows no body (a 304's) are
// seen: net/http's client drops them. Whatever the server sends after the answer's own body,
// until it closes the connection, counts as body.
func (c *Client) DoBare(ctx context.Context, r Request, token string) *Exchange {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	ex := c.paced(ctx, r, token, func() *Exchange {
		req, ex := c.build(ctx, r, token)
		if ex.Err != nil {
			return ex
		}
		req.Close = true
		start := time.Now()
		c.sent.Add(1)
		ex.Err = c.bare(ctx, req, ex)
		if ex.Err != nil {
			ex.Err = c.cut(ex.Err)
		}
		ex.Duration = time.Since(start)
		c.Secrets.LearnTokens(ex)
		return ex
	})
	c.observe(ctx, ex, true)
	return ex
}

func (c *Client) bare(ctx context.Context, req *http.Request, ex *Exchange) error {
	conn, err := c.dial(ctx, req)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline := time.Now().Add(c.timeout())
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = conn.SetDeadline(deadline)
	if err := req.Write(conn); err != nil {
		return err
	}
	br := bufio.NewReader(io.LimitReader(conn, 2*maxResponseBytes))
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	ex.Status, ex.RespHeader = resp.StatusCode, resp.Header
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	_ = conn.SetReadDeadline(earlier(deadline, time.Now().Add(restWait)))
	rest, err := io.ReadAll(io.LimitReader(br, maxResponseBytes))
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("reading after the answer: %w", err)
	}
	ex.RespBody = append(body, rest...)
	return nil
}

// dial opens the connection the client's transport would: TCP, and TLS with its settings.
func (c *Client) dial(ctx context.Context, req *http.Request) (net.Conn, error) {
	host, port := req.URL.Hostname(), req.URL.Port()
	if port == "" {
		port = map[string]string{"https": "443"}[req.URL.Scheme]
		if port == "" {
			port = "80"
		}
	}
	d := &net.Dialer{Timeout: c.timeout()}
	addr := net.JoinHostPort(host, port)
	if req.URL.Scheme != "https" {
		return d.DialContext(ctx, "tcp", addr)
	}
	var conf *tls.Config
	if tr, ok := c.HTTP.Transport.(*http.Transport); ok && tr.TLSClientConfig != nil {
		conf = tr.TLSClientConfig.Clone()
	} else {
		conf = &tls.Config{}
	}
	conf.ServerName, conf.NextProtos = host, nil // HTTP/1.1: its bytes are what is read
	return (&tls.Dialer{NetDialer: d, Config: conf}).DialContext(ctx, "tcp", addr)
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func (c *Client) timeout() time.Duration {
	if c.HTTP.Timeout > 0 {
		return c.HTTP.Timeout
	}
	return 10 * time.Second
}
