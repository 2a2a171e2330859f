package bc

import (
	"bytes"
	"testing"
)

// BenchmarkVerify measures verifying a typical N009 notice's signature.
func BenchmarkVerify(b *testing.B) {
	body := bytes.Repeat([]byte(`{"iccid":"8985200000000000001","qrCodeContent":"LPA:1$smdp.example.com$ABCDEF"}`), 8)
	sign := Sign("fake-secret-for-benchmarks", body)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if !Verify("fake-secret-for-benchmarks", body, sign) {
			b.Fatal("signature rejected")
		}
	}
}
