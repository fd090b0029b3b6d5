// Package dns, as this build compiles it: in place of lego's generated registry of DNS-01
// providers (providers/dns/zz_gen_dns_providers.go), which imports the SDK of every DNS host,
// a dozen of which the Go module proxy here does not serve. The end-to-end suite serves
// certificates from Secrets and never asks ACME for one, so no DNS-01 provider is needed.
package dns

import (
	"fmt"

	"github.com/go-acme/lego/v5/challenge"
)

// NewDNSChallengeProviderByName refuses every name: this build has no DNS-01 providers.
func NewDNSChallengeProviderByName(name string) (challenge.Provider, error) {
	return nil, fmt.Errorf("DNS-01 provider %q: this Traefik build (cdk8s-webstack test/e2e) has no DNS-01 providers", name)
}
