// Package alertmanager checks every Alertmanager configuration a cluster's
// output holds (each Secret with an alertmanager.yaml key: kube-prometheus'
// alertmanager-main, one rendered from vars.alertmanager.config, one a patch
// makes) with Alertmanager's own loader, config.Load (what amtool
// check-config runs), then lints what the loader accepts (lint.go): receivers
// no route uses, routes that can never match.
//
// A configuration kpgen rendered from the vars carries the annotation
// kpgen.dev/source: vars.alertmanager.config; its problems name vars keys
// (the library's root route starts with two routes of its own, Watchdog and
// InfoInhibitor, before the vars' routes: see
// jsonnet/lib/patches/alertmanager-config.libsonnet).
package alertmanager

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/prometheus/alertmanager/config"
)

// Key is the Secret key prometheus-operator reads the configuration from.
const Key = "alertmanager.yaml"

// SourceAnnotation marks a Secret rendered from vars; its value is the vars key.
const SourceAnnotation = "kpgen.dev/source"

// LibraryRoutes is the number of routes the library puts first under the
// root of a configuration rendered from vars.
const LibraryRoutes = 2

// Problem is one thing wrong with a configuration. Field locates it: a vars
// key for a configuration rendered from vars, else a path in alertmanager.yaml.
type Problem struct {
	Field string
	Msg   string
}

func (p Problem) String() string {
	if p.Field == "" {
		return p.Msg
	}
	return p.Field + ": " + p.Msg
}

type secret struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata"`
	StringData map[string]string `json:"stringData"`
	Data       map[string]string `json:"data"`
}

// Check checks the Alertmanager configuration of one Secret (its JSON).
// A Secret without one has no problems.
func Check(obj json.RawMessage) []Problem {
	var s secret
	if err := json.Unmarshal(obj, &s); err != nil || s.Kind != "Secret" {
		return nil
	}
	text, ok := s.StringData[Key]
	if !ok {
		enc, ok := s.Data[Key]
		if !ok {
			return nil
		}
		b, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return []Problem{{Field: "data." + Key, Msg: "not base64: " + err.Error()}}
		}
		text = string(b)
	}
	return CheckText(text, s.Metadata.Annotations[SourceAnnotation])
}

// CheckText checks a configuration file's text. source is the vars key it
// was rendered from, or "".
func CheckText(text, source string) []Problem {
	cfg, err := config.Load(text)
	if err != nil {
		where := Key
		if source != "" {
			where = source
		}
		return []Problem{{Field: where, Msg: fmt.Sprintf("Alertmanager's configuration loader: %v", err)}}
	}
	return lint(cfg, paths{source: source})
}
