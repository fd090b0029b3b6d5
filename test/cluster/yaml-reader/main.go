// Reads a stream of YAML documents from stdin as kubectl does (apimachinery's YAML reader splits
// the documents, sigs.k8s.io/yaml turns each into JSON through Go's yaml.v2) and prints one line
// per document: its JSON, or "ERROR <message>" where kubectl would refuse it.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

func main() {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		doc, err := reader.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintf(out, "ERROR %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
			return
		}
		if strings.TrimSpace(string(doc)) == "" {
			continue
		}
		json, err := yaml.YAMLToJSON(doc)
		if err != nil {
			fmt.Fprintf(out, "ERROR %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
			continue
		}
		fmt.Fprintf(out, "%s\n", json)
	}
}
