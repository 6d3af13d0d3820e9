package main

import (
	"context"
	"crypto/ecdsa"
	"flag"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/stonode/stonode/registry/chain"
)

// roleKeyEnv names each role's key variable (hex, like STONODE_KEY); a role
// with neither a file nor the variable signs with the node's key.
var roleKeyEnv = map[chain.KeyRole]string{
	chain.KeyWriter: "STONODE_WRITER_KEY",
	chain.KeyAgent:  "STONODE_AGENT_KEY",
	chain.KeyAdmin:  "STONODE_ADMIN_KEY",
}

var roleKeyUse = map[chain.KeyRole]string{
	chain.KeyWriter: "writes the eligibility registries (WRITER_ROLE)",
	chain.KeyAgent:  "operates the tokens (AGENT_ROLE)",
	chain.KeyAdmin:  "deploys the contracts and holds their admin role",
}

// registerRoleKeys adds --writer-key-file, --agent-key-file and
// --admin-key-file.
func registerRoleKeys(fs *flag.FlagSet, cfg *config) {
	cfg.roleKeyFiles = map[chain.KeyRole]*string{}
	for _, r := range chain.KeyRoles {
		envFile := "STONODE_" + strings.ToUpper(string(r)) + "_KEY_FILE"
		cfg.roleKeyFiles[r] = fs.String(string(r)+"-key-file", env(envFile, ""),
			fmt.Sprintf("file holding the hex private key that %s (default: %s, else the node's key)", roleKeyUse[r], roleKeyEnv[r]))
	}
}

// devRoleFunds is what a role key gets on the embedded dev chain, which funds
// only the node's key at genesis.
var devRoleFunds = new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))

// setRoleKeys loads the role keys given and puts them on conn; on the
// embedded dev chain it funds them from the node's key.
func setRoleKeys(ctx context.Context, conn *chain.Conn, cfg config, log *slog.Logger) error {
	keys := map[chain.KeyRole]*ecdsa.PrivateKey{}
	for _, r := range chain.KeyRoles {
		path := ""
		if p := cfg.roleKeyFiles[r]; p != nil {
			path = *p
		}
		if path == "" && os.Getenv(roleKeyEnv[r]) == "" {
			continue
		}
		key, err := chain.LoadKey(path, roleKeyEnv[r])
		if err != nil {
			return fmt.Errorf("%s key: %w", r, err)
		}
		keys[r] = key
	}
	if err := conn.SetRoleKeys(keys); err != nil {
		return err
	}
	roles := conn.RoleAddresses()
	if conn.DevChain() != nil {
		var fund []common.Address
		for _, a := range roles {
			if a != conn.From {
				fund = append(fund, a)
			}
		}
		if err := conn.Fund(ctx, devRoleFunds, fund...); err != nil {
			return err
		}
	}
	attrs := make([]any, 0, len(roles))
	for _, r := range chain.KeyRoles {
		attrs = append(attrs, slog.String(string(r)+"Address", roles[r].Hex()))
	}
	log.Info("signing keys", attrs...)
	return nil
}
