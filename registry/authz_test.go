package registry

import "testing"

func TestAccessRules(t *testing.T) {
	iss := &Issuance{LeadSellerID: 1, HandlingSellers: []int64{2}}
	operator := &Principal{Role: RoleOperator}
	reader := &Principal{Role: RoleReader}
	lead := &Principal{Role: RoleSeller, SellerID: 1}
	handling := &Principal{Role: RoleSeller, SellerID: 2}
	stranger := &Principal{Role: RoleSeller, SellerID: 3}
	for _, tc := range []struct {
		name                 string
		p                    *Principal
		read, operate, acts1 bool
	}{
		{"operator", operator, true, true, true},
		{"reader", reader, true, true, false}, // role gates keep readers out of operations
		{"lead seller", lead, true, true, true},
		{"handling seller", handling, true, false, false},
		{"other seller", stranger, false, false, false},
		{"no principal", nil, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanRead(tc.p, iss); got != tc.read {
				t.Errorf("CanRead = %v, want %v", got, tc.read)
			}
			if got := CanOperate(tc.p, iss); got != tc.operate {
				t.Errorf("CanOperate = %v, want %v", got, tc.operate)
			}
			err := RequireOperate(tc.p, iss, "reconciles issuance %d", 7)
			if tc.operate != (err == nil) {
				t.Errorf("RequireOperate = %v, want allowed %v", err, tc.operate)
			}
			if err != nil && (ErrorCode(err) != EFORBIDDEN || ErrorMessage(err) != "only the lead seller reconciles issuance 7") {
				t.Errorf("RequireOperate = %q (%s)", ErrorMessage(err), ErrorCode(err))
			}
			if got := ActsForSeller(tc.p, 1); got != tc.acts1 {
				t.Errorf("ActsForSeller(1) = %v, want %v", got, tc.acts1)
			}
		})
	}
}
