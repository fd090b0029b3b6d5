//go:build tools

// Package tools pins the control-plane commands so that go.mod and go.sum cover them:
// kube-apiserver (the cluster suite), kube-controller-manager and kube-scheduler (test/e2e).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	_ "k8s.io/kubernetes/cmd/kube-scheduler/app"
)
