//go:build tools

// Package tools pins the polaris command so that go.mod and go.sum cover it.
package tools

import _ "github.com/fairwindsops/polaris"
