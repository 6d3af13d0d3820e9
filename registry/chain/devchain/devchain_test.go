package devchain

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
)

// initCode deploys a contract whose code returns 42 for any call:
// PUSH10 <runtime> PUSH1 0 MSTORE PUSH1 10 PUSH1 22 RETURN, where runtime is
// PUSH1 42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
var initCode = common.FromHex("69602a60005260206000f3600052600a6016f3")

func open(t *testing.T, dir string, key *ecdsa.PrivateKey, rpcAddr string, interval time.Duration) *Chain {
	t.Helper()
	c, err := Open(context.Background(), Config{Dir: dir, Key: key, RPCAddr: rpcAddr, Interval: interval})
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	return c
}

// send signs and sends one transaction from key and waits for its receipt.
// The tip is 1 wei, what cast estimates on a quiet chain: the chain must seal it.
func send(ctx context.Context, cl *ethclient.Client, key *ecdsa.PrivateKey, to *common.Address, value *big.Int, data []byte) (*types.Receipt, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := cl.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	head, err := cl.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), big.NewInt(1))
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(big.NewInt(ChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(ChainID), Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: feeCap,
		Gas: 200_000, To: to, Value: value, Data: data,
	})
	if err != nil {
		return nil, err
	}
	if err := cl.SendTransaction(ctx, tx); err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	for {
		r, err := cl.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				return nil, fmt.Errorf("tx %s reverted", tx.Hash())
			}
			return r, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, fmt.Errorf("receipt: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("receipt of %s: %w", tx.Hash(), ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func mustSend(ctx context.Context, t *testing.T, cl *ethclient.Client, key *ecdsa.PrivateKey, to *common.Address, value *big.Int, data []byte) *types.Receipt {
	t.Helper()
	r, err := send(ctx, cl, key, to, value, data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReopenResumes seals on demand, closes, and reopens the same directory:
// same genesis, head, balances and contract code, and the chain goes on.
func TestReopenResumes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	key, _ := crypto.GenerateKey()
	dest := common.HexToAddress("0x00000000000000000000000000000000000000aa")

	c := open(t, dir, key, "127.0.0.1:0", 0)
	cl := c.Client()
	id, err := cl.ChainID(ctx)
	if err != nil || id.Int64() != ChainID {
		t.Fatalf("chain id %v, %v", id, err)
	}
	// The anvil accounts are funded, and their keys can send.
	anvil0 := TestKeys()[0]
	if got := crypto.PubkeyToAddress(anvil0.PublicKey); got != common.HexToAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") {
		t.Fatalf("anvil #0 is %s", got)
	}
	start := time.Now()
	mustSend(ctx, t, cl, anvil0, &dest, big.NewInt(7), nil)
	// Interval 0: only a transaction seals, so a prompt receipt shows it did.
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("a transaction took %s to be sealed", d)
	}
	mustSend(ctx, t, cl, key, &dest, big.NewInt(1000), nil)
	deploy := mustSend(ctx, t, cl, key, nil, nil, initCode)
	code, err := cl.CodeAt(ctx, deploy.ContractAddress, nil)
	if err != nil || len(code) == 0 {
		t.Fatalf("code after deploy: %x, %v", code, err)
	}
	// The HTTP endpoint serves the same chain.
	hc, err := ethclient.DialContext(ctx, c.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	if n, err := hc.BlockNumber(ctx); err != nil || n != deploy.BlockNumber.Uint64() {
		t.Fatalf("HTTP block number %d, %v; want %d", n, err, deploy.BlockNumber)
	}
	hc.Close()

	head, err := cl.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	bal, _ := cl.BalanceAt(ctx, dest, nil)
	devBal, _ := cl.BalanceAt(ctx, crypto.PubkeyToAddress(key.PublicKey), nil)
	genesis := c.GenesisHash()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil { // idempotent
		t.Fatal(err)
	}

	c = open(t, dir, key, "", 0)
	defer c.Close()
	cl = c.Client()
	if c.GenesisHash() != genesis {
		t.Fatalf("genesis %s after reopening, was %s", c.GenesisHash(), genesis)
	}
	if c.RPCURL() != "" {
		t.Fatalf("RPC served at %s with an empty address", c.RPCURL())
	}
	head2, err := cl.HeaderByNumber(ctx, nil)
	if err != nil || head2.Hash() != head.Hash() {
		t.Fatalf("head %v (%v) after reopening, was %d %s", head2.Number, err, head.Number, head.Hash())
	}
	if b, _ := cl.BalanceAt(ctx, dest, nil); b.Cmp(bal) != 0 || bal.Int64() != 1007 {
		t.Fatalf("balance %s after reopening, was %s", b, bal)
	}
	if b, _ := cl.BalanceAt(ctx, crypto.PubkeyToAddress(key.PublicKey), nil); b.Cmp(devBal) != 0 {
		t.Fatalf("dev balance %s after reopening, was %s", b, devBal)
	}
	checkHistory(ctx, t, cl, deploy)
	// The chain goes on from there: the node's nonce continues.
	r := mustSend(ctx, t, cl, key, &dest, big.NewInt(1), nil)
	if r.BlockNumber.Uint64() != head.Number.Uint64()+1 {
		t.Fatalf("next block %d, want %d", r.BlockNumber, head.Number.Uint64()+1)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	// Another key means another genesis: refused, not a new chain.
	other, _ := crypto.GenerateKey()
	if c, err := Open(ctx, Config{Dir: dir, Key: other}); err == nil {
		c.Close()
		t.Fatal("a chain directory opened with another dev key")
	} else if !strings.Contains(err.Error(), "genesis") {
		t.Fatalf("error %q does not name the genesis", err)
	}
}

// checkHistory reads state at and before the deployment block: code, a call
// and the genesis balances, which only an archive keeps.
func checkHistory(ctx context.Context, t *testing.T, cl *ethclient.Client, deploy *types.Receipt) {
	t.Helper()
	at, before := deploy.BlockNumber, new(big.Int).Sub(deploy.BlockNumber, big.NewInt(1))
	if code, err := cl.CodeAt(ctx, deploy.ContractAddress, at); err != nil || len(code) == 0 {
		t.Fatalf("code at the deployment block %s: %x, %v", at, code, err)
	}
	if code, err := cl.CodeAt(ctx, deploy.ContractAddress, before); err != nil || len(code) != 0 {
		t.Fatalf("code before the deployment block: %x, %v", code, err)
	}
	out, err := cl.CallContract(ctx, ethereum.CallMsg{To: &deploy.ContractAddress}, at)
	if err != nil || new(big.Int).SetBytes(out).Int64() != 42 {
		t.Fatalf("call at the deployment block: %x, %v", out, err)
	}
	anvil9 := crypto.PubkeyToAddress(TestKeys()[9].PublicKey)
	if b, err := cl.BalanceAt(ctx, anvil9, big.NewInt(0)); err != nil || b.Cmp(ether(10_000)) != 0 {
		t.Fatalf("anvil #9 at genesis: %v, %v", b, err)
	}
}

// TestEmptyBlocksFollowTheClock seals empty blocks on the interval.
func TestEmptyBlocksFollowTheClock(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	key, _ := crypto.GenerateKey()
	c := open(t, t.TempDir(), key, "", 100*time.Millisecond)
	defer c.Close()
	// Each sealed block is a second apart (timestamps are whole seconds), so
	// the head reaches 2 after about a second.
	for {
		h, err := c.Client().HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if h.Number.Uint64() >= 2 {
			if now := uint64(time.Now().Unix()); h.Time > now+1 {
				t.Fatalf("block time %d ahead of the clock %d", h.Time, now)
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no empty blocks: head %d", h.Number)
		case <-time.After(20 * time.Millisecond):
		}
	}
	// Time control for tests: an empty block an hour later.
	h, _ := c.Client().HeaderByNumber(ctx, nil)
	if err := c.AdjustTime(time.Hour); err != nil {
		t.Fatal(err)
	}
	h2, _ := c.Client().HeaderByNumber(ctx, nil)
	if h2.Time < h.Time+3600 {
		t.Fatalf("time %d after adjusting %d by an hour", h2.Time, h.Time)
	}
}

func TestRPCAddressMustBeLoopback(t *testing.T) {
	key, _ := crypto.GenerateKey()
	for _, addr := range []string{"0.0.0.0:8545", ":8545", "192.168.1.10:8545", "example.com:8545", "127.0.0.1", "127.0.0.1:99999"} {
		c, err := Open(context.Background(), Config{Dir: t.TempDir(), Key: key, RPCAddr: addr})
		if err == nil {
			c.Close()
			t.Errorf("RPC address %q accepted", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:8545", "[::1]:0", "localhost:8545"} {
		if _, _, err := rpcListen(addr); err != nil {
			t.Errorf("RPC address %q refused: %v", addr, err)
		}
	}
}

// The kill -9 test runs the chain in a child process (this test binary,
// re-executed), which sends transactions and reports each receipt on stdout
// until the parent kills it.
const helperEnv = "DEVCHAIN_TEST_HELPER_DIR"

// TestHelperProcess is the child's side; it does nothing in a normal run.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperEnv)
	if dir == "" {
		t.Skip("helper process for TestKillResumes")
	}
	key, err := crypto.HexToECDSA(os.Getenv("DEVCHAIN_TEST_HELPER_KEY"))
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	ctx := context.Background()
	c, err := Open(ctx, Config{Dir: dir, Key: key, Interval: 50 * time.Millisecond})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	cl := c.Client()
	deploy, err := send(ctx, cl, key, nil, nil, initCode)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	fmt.Printf("DEPLOY %d %s %s\n", deploy.BlockNumber, deploy.BlockHash.Hex(), deploy.ContractAddress.Hex())
	dest := common.HexToAddress("0x00000000000000000000000000000000000000bb")
	for i := 1; ; i++ {
		r, err := send(ctx, cl, key, &dest, big.NewInt(1), nil)
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(2)
		}
		// Reported only once the receipt is visible: what a client has seen.
		fmt.Printf("SENT %d %d %s\n", i, r.BlockNumber, r.BlockHash.Hex())
	}
}

// TestKillResumes kills the chain's process with SIGKILL while it is sealing
// and checks that everything a client saw is still there on reopening.
func TestKillResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	key, _ := crypto.GenerateKey()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.v")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir, "DEVCHAIN_TEST_HELPER_KEY="+hex.EncodeToString(crypto.FromECDSA(key)))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type seen struct {
		block uint64
		hash  common.Hash
	}
	var (
		deploy   seen
		contract common.Address
		last     seen
		sent     int
	)
	lines := bufio.NewScanner(out)
	for sent < 40 && lines.Scan() {
		f := strings.Fields(lines.Text())
		switch {
		case len(f) == 4 && f[0] == "DEPLOY":
			n, _ := strconv.ParseUint(f[1], 10, 64)
			deploy = seen{n, common.HexToHash(f[2])}
			contract = common.HexToAddress(f[3])
		case len(f) == 4 && f[0] == "SENT":
			sent, _ = strconv.Atoi(f[1])
			n, _ := strconv.ParseUint(f[2], 10, 64)
			last = seen{n, common.HexToHash(f[3])}
		case len(f) > 0 && f[0] == "ERR":
			t.Fatalf("helper: %s", lines.Text())
		}
	}
	if sent < 40 {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("helper stopped after %d transactions: %v", sent, lines.Err())
	}
	// Mid-stream: the child is sending and sealing as it dies.
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	c := open(t, dir, key, "", 0)
	defer c.Close()
	cl := c.Client()
	for _, s := range []seen{deploy, last} {
		h, err := cl.HeaderByNumber(ctx, new(big.Int).SetUint64(s.block))
		if err != nil || h.Hash() != s.hash {
			t.Fatalf("block %d after kill -9: %v (%v), the child saw %s", s.block, h, err, s.hash)
		}
	}
	dest := common.HexToAddress("0x00000000000000000000000000000000000000bb")
	if b, err := cl.BalanceAt(ctx, dest, new(big.Int).SetUint64(last.block)); err != nil || b.Int64() != int64(sent) {
		t.Fatalf("balance at block %d after kill -9: %v (%v), want %d", last.block, b, err, sent)
	}
	if code, err := cl.CodeAt(ctx, contract, new(big.Int).SetUint64(deploy.block)); err != nil || len(code) == 0 {
		t.Fatalf("code at block %d after kill -9: %x, %v", deploy.block, code, err)
	}
	if code, err := cl.CodeAt(ctx, contract, new(big.Int).SetUint64(deploy.block-1)); err != nil || len(code) != 0 {
		t.Fatalf("code before block %d after kill -9: %x, %v", deploy.block, code, err)
	}
	// And it goes on: the nonce is read from the recovered state.
	r := mustSend(ctx, t, cl, key, &dest, big.NewInt(1), nil)
	if r.BlockNumber.Uint64() <= last.block {
		t.Fatalf("new block %d at or below the last seen %d", r.BlockNumber, last.block)
	}
}
