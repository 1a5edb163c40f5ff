package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeDemo runs the README's first command in-process on a free port,
// signs in with the printed credentials on both sites and sees the dashboard.
func TestServeDemo(t *testing.T) {
	vars := map[string]string{"HEARTH_DATA": t.TempDir()}
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve", "--demo", "--demo-clients", "25", "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, io.Discard,
			func(k string) string { return vars[k] })
		pw.Close()
		done <- err
	}()
	lineRE := regexp.MustCompile(`^site (\w+): (http://127\.0\.0\.1:\d+/\w+/) user (\w+) password (\S{16,})$`)
	type signin struct{ url, user, password string }
	var sites []signin
	sc := bufio.NewScanner(pr)
	for len(sites) < 2 && sc.Scan() {
		m := lineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			t.Fatalf("serve printed %q, want %s", sc.Text(), lineRE)
		}
		sites = append(sites, signin{m[2], m[3], m[4]})
	}
	go io.Copy(io.Discard, pr)
	if len(sites) != 2 || !strings.HasSuffix(sites[0].url, "/live/") || !strings.HasSuffix(sites[1].url, "/training/") {
		t.Fatalf("sites printed: %+v (live first, then training)", sites)
	}
	for _, s := range sites {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 20 * time.Second}
		var resp *http.Response
		var err error
		for range 50 { // the server starts right after printing
			if resp, err = c.Get(s.url + "login"); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		resp, err = c.PostForm(s.url+"login", url.Values{"username": {s.user}, "password": {s.password}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte("Welcome to Hearth")) || !bytes.Contains(body, []byte(">25<")) {
			t.Fatalf("%s: sign-in landed on %d %s without the welcome and the 25 clients:\n%.2000s", s.url, resp.StatusCode, resp.Request.URL, body)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}
