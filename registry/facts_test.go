package registry

import "testing"

func TestHolderCap(t *testing.T) {
	for _, c := range []struct {
		offering OfferingType
		max      int
		want     int
	}{
		{OfferingSmallNumberPrivate, 0, DefaultSmallNumberMaxHolders},
		{OfferingSmallNumberPrivate, 20, 20},
		{OfferingPublic, 0, 0},
		{OfferingQIIPrivate, 0, 0},
		{OfferingPublic, 300, 300},
	} {
		if got := (&Issuance{OfferingType: c.offering, MaxHolders: c.max}).HolderCap(); got != c.want {
			t.Errorf("%s with MaxHolders %d: cap %d, want %d", c.offering, c.max, got, c.want)
		}
	}
}
