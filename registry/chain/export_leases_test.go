package chain

// SameKeyConnForTest is a second connection to c's chain signing with c's key,
// with a send lock of its own: another node sharing the key.
func SameKeyConnForTest(c *Conn) *Conn {
	return &Conn{Client: c.Client, ChainID: c.ChainID, From: c.From, key: c.key, sim: c.sim, stop: func() {}}
}
