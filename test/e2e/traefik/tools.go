//go:build tools

// Package tools pins Traefik's command so that go.mod and go.sum cover it.
package tools

import _ "github.com/traefik/traefik/v3/cmd/traefik"
