package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// PersonalTableTextForTest returns every stored column of the personal data
// table as text, for tests that check it holds ciphertext only.
func (s *DB) PersonalTableTextForTest(ctx context.Context) (string, error) {
	var rows []personalRow
	if err := s.read(ctx).Order("investor_id, version").Find(&rows).Error; err != nil {
		return "", err
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.KeyID + "|" + r.WrappedKey + "|" + r.Ciphertext + "|" + r.RecordedBy + "\n")
	}
	return b.String(), nil
}

// SeedRegisterForTest fills the database with a register of n investors of
// seller, each with one wallet minted i+1 tokens of token and sealed personal
// data, plus n/100 wallets no investor owns, in blocks dated at, and a mirror
// checkpoint a day later; bulk inserts, for benchmarks.
func (s *Records) SeedRegisterForTest(ctx context.Context, seller int64, n int, chainID int64, token string, at time.Time) error {
	if err := s.seedRegister(ctx, seller, n, chainID, token, at); err != nil {
		return err
	}
	if s.dialect == Postgres {
		// What autovacuum does to a table that grew this much, at once.
		return s.writer.WithContext(ctx).Exec(`ANALYZE`).Error
	}
	return nil
}

func (s *Records) seedRegister(ctx context.Context, seller int64, n int, chainID int64, token string, at time.Time) error {
	now := s.now()
	return s.writer.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		invs := make([]investorRow, n)
		for i := range invs {
			invs[i] = investorRow{SellerID: seller, CustomerRef: fmt.Sprintf("BENCH-%07d", i), PersonType: string(registry.PersonIndividual),
				ResidenceCountry: "JP", KYCStatus: string(registry.KYCVerified), Sanctions: string(registry.ScreeningClear),
				Antisocial: string(registry.ScreeningClear), CreatedAt: now, UpdatedAt: now}
		}
		if err := tx.CreateInBatches(invs, 500).Error; err != nil {
			return err
		}
		wallets := make([]walletRow, n)
		pds := make([]personalRow, n)
		for i, inv := range invs {
			wallets[i] = walletRow{Address: fmt.Sprintf("0x%040x", 0x1000000+i), InvestorID: inv.ID, CreatedAt: now}
			d := registry.PersonalData{LegalName: fmt.Sprintf("山田 太郎%d", i), KanaName: "ヤマダ タロウ", PostalCode: "100-0005",
				Address: fmt.Sprintf("東京都千代田区丸の内一丁目%d番1号", i), TaxCategory: registry.TaxIndividual, ExternalRef: fmt.Sprintf("ACC-%07d", i)}
			env, err := s.seal(inv.ID, 1, &d)
			if err != nil {
				return err
			}
			pds[i] = personalRow{InvestorID: inv.ID, Version: 1, ValidFrom: at.AddDate(-1, 0, 0), KeyID: env.KeyID,
				WrappedKey: base64.StdEncoding.EncodeToString(env.WrappedKey), Ciphertext: base64.StdEncoding.EncodeToString(env.Ciphertext),
				RecordedBy: "bench", RecordedAt: now}
		}
		if err := tx.CreateInBatches(wallets, 500).Error; err != nil {
			return err
		}
		if err := tx.CreateInBatches(pds, 500).Error; err != nil {
			return err
		}
		token = strings.ToLower(token)
		const blocks = 100
		var blockRows []mirrorBlockRow
		for b := int64(1); b <= blocks+1; b++ {
			t := at.Unix() + b
			if b == blocks+1 {
				t = at.Add(48 * time.Hour).Unix()
			}
			blockRows = append(blockRows, mirrorBlockRow{ChainID: chainID, Token: token, Number: b, Hash: fmt.Sprintf("0x%064x", b), BlockTime: &t})
		}
		if err := tx.CreateInBatches(blockRows, 500).Error; err != nil {
			return err
		}
		total := n + n/100
		rows := make([]mirrorTransferRow, 0, total)
		for i := 0; i < total; i++ {
			to := fmt.Sprintf("0x%040x", 0x1000000+i)
			if i >= n {
				to = fmt.Sprintf("0x%040x", 0x9000000+i)
			}
			b := int64(1 + i%blocks)
			rows = append(rows, mirrorTransferRow{ChainID: chainID, BlockHash: fmt.Sprintf("0x%064x", b), LogIndex: int64(i), Token: token,
				BlockNumber: b, TxHash: fmt.Sprintf("0x%064x", i), FromAddr: registry.ZeroAddress, ToAddr: to, Amount: fmt.Sprint(i + 1)})
		}
		if err := tx.CreateInBatches(rows, 500).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO mirror_checkpoints (chain_id, token, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?, ?)`,
			chainID, token, blocks+1, fmt.Sprintf("0x%064x", blocks+1), now).Error
	})
}

// mirrorTransferRow is a mirror_transfers row, for seeding large registers
// without going through Apply.
type mirrorTransferRow struct {
	ChainID     int64
	BlockHash   string
	LogIndex    int64
	Token       string
	BlockNumber int64
	TxHash      string
	FromAddr    string
	ToAddr      string
	Amount      string
}

func (mirrorTransferRow) TableName() string { return "mirror_transfers" }
