// Package delayproxy is a loopback TCP proxy that delays every byte by half a round trip in
// each direction, so that tests and benchmarks can run the suite against a target "at a
// distance" without leaving the machine. It is a delay line, not a throttle: bytes read at
// t are written at t + RTT/2, however many are in flight. A new connection also pays one
// round trip before its first byte, as a TCP handshake does.
package delayproxy

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Proxy forwards connections from its own loopback address to a target address.
type Proxy struct {
	ln     net.Listener
	target string
	rtt    time.Duration
	conns  atomic.Int64
	wg     sync.WaitGroup
	mu     sync.Mutex
	open   map[net.Conn]struct{}
	closed bool
	done   chan struct{} // closed by Close: bytes still on the line are dropped
}

// Start listens on 127.0.0.1 and forwards to target (host:port) with the given round trip.
func Start(target string, rtt time.Duration) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, target: target, rtt: rtt, open: map[net.Conn]struct{}{}, done: make(chan struct{})}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Connections is how many connections clients have opened through the proxy.
func (p *Proxy) Connections() int64 { return p.conns.Load() }

// Close stops accepting, cuts every open connection and waits for the proxy's goroutines.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	if !p.closed {
		close(p.done)
	}
	p.closed = true
	for c := range p.open {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.conns.Add(1)
		p.wg.Add(1)
		go p.serve(c)
	}
}

// track registers a connection so that Close can cut it; false when the proxy is closing.
func (p *Proxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	for _, c := range cs {
		p.open[c] = struct{}{}
	}
	return true
}

func (p *Proxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.open, c)
		c.Close()
	}
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(client, server) {
		client.Close()
		server.Close()
		return
	}
	defer p.untrack(client, server)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.pipe(server, client, p.rtt) }()
	go func() { defer wg.Done(); p.pipe(client, server, 0) }()
	wg.Wait()
}

// chunk is bytes read from one side, due on the other at `due`.
type chunk struct {
	data []byte
	due  time.Time
}

// pipe copies src to dst, each chunk `delay` after it was read (the first one `first` more:
// the handshake's round trip). EOF is passed on as a half close, as late as the bytes.
func (p *Proxy) pipe(dst, src net.Conn, first time.Duration) {
	delay := p.rtt / 2
	line := make(chan chunk, 1024)
	go func() {
		defer close(line)
		extra := first
		for {
			buf := make([]byte, 32<<10)
			n, err := src.Read(buf)
			if n > 0 {
				line <- chunk{buf[:n], time.Now().Add(delay + extra)}
				extra = 0
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range line {
		if !p.wait(c.due) {
			src.Close()
			for range line {
			}
			return
		}
		if _, err := dst.Write(c.data); err != nil {
			src.Close() // the other side is gone: stop reading too
			for range line {
			}
			return
		}
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}

// wait sleeps until t; false when the proxy closed first.
func (p *Proxy) wait(t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-p.done:
		return false
	}
}
