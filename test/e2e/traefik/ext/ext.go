// Package ext stands in for Traefik's dynamic configuration extension point, which Traefik's
// go.mod takes from a folder of its repository that the published module leaves out. Its
// open-source build declares these types empty.
package ext

// HTTP extends dynamic.HTTP.
type HTTP struct{}

// Router extends dynamic.Router.
type Router struct{}

// RouterIng extends an Ingress router's annotations.
type RouterIng struct{}

// ToRouter converts RouterIng to a Router.
func (r RouterIng) ToRouter() Router { return Router{} }
