package render

import (
	"crypto/rand"
	"encoding/hex"
)

// The names of kpgen's native functions and ext vars carry a nonce drawn
// once per process, which only the code kpgen generates in Go knows. A VM
// evaluates the user's code too (vars files, the library, vendored
// packages), and Jsonnet has no private names: under a well-known name,
// std.native('kpgenConfig') would read the config of whatever cluster the
// VM rendered last, and std.extVar('kpgen:file:<path>') another cluster's
// vars file. Under these names, std.native of any name user code can know
// gives null and std.extVar fails, exactly as in a plain go-jsonnet VM
// (TestProgramMatchesGoJsonnet, TestHostileVarsMatchGoJsonnet).
var nonce = func() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}()

// kpgenName is the name of one of kpgen's natives or ext vars.
func kpgenName(what string) string { return "kpgen:" + nonce + ":" + what }

var (
	// extPrefix starts the ext var keys of shared files.
	extPrefix = kpgenName("file:")
	// preludeKey is the ext var the prelude is bound to.
	preludeKey = kpgenName("prelude")
	// nativeLoad is the native function a stand-in calls to load its file.
	nativeLoad = kpgenName("load")
	// nativeConfig reads a leaf of the config of a memo evaluation.
	nativeConfig = kpgenName("config")
	// The native functions of the format prelude.
	nativeFormat, nativeFormatCount, nativeFormatKeys = kpgenName("format"), kpgenName("formatCount"), kpgenName("formatKeys")
)
