// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {EligibilityRegistry} from "../src/EligibilityRegistry.sol";
import {ReasonCodes} from "../src/ReasonCodes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

contract EligibilityRegistryTest is Fixture {
    event EligibilitySet(
        address indexed wallet, uint64 indexed investorId, bytes2 country, uint16 categories, uint40 validUntil
    );
    event BatchApplied(uint64 indexed seq, uint256 entries);

    function setUp() public {
        _deploy(0, 0);
    }

    function _batch2() internal view returns (EligibilityRegistry.Entry[] memory es) {
        es = new EligibilityRegistry.Entry[](2);
        es[0] = _entry(alice, 1, T0 + 1000);
        es[1] = EligibilityRegistry.Entry(bob, 2, "SG", 2, FAR);
    }

    function test_apply_batch_sets_records_and_seq() public {
        assertEq(registry.seq(), 0, "initial seq");
        vm.expectEmit(true, true, false, true);
        emit EligibilitySet(alice, 1, "JP", 1, T0 + 1000);
        vm.expectEmit(true, true, false, true);
        emit EligibilitySet(bob, 2, "SG", 2, FAR);
        vm.expectEmit(true, false, false, true);
        emit BatchApplied(0, 2);
        vm.prank(writer);
        uint64 next = registry.applyBatch(0, _batch2());
        assertEq(next, 1, "returned seq");
        assertEq(registry.seq(), 1, "seq");
        EligibilityRegistry.Record memory r = registry.recordOf(bob);
        assertEq(r.investorId, 2, "investorId");
        assertTrue(r.country == "SG", "country");
        assertEq(r.categories, 2, "categories");
        assertEq(r.validUntil, FAR, "validUntil");
        assertTrue(registry.isEligible(alice) && registry.isEligible(bob), "eligible");
    }

    function test_sequence_mismatch_detects_replay_and_gap() public {
        vm.startPrank(writer);
        registry.applyBatch(0, _batch2());
        vm.expectRevert(abi.encodeWithSelector(EligibilityRegistry.SequenceMismatch.selector, 1, 0));
        registry.applyBatch(0, _batch2()); // replay
        vm.expectRevert(abi.encodeWithSelector(EligibilityRegistry.SequenceMismatch.selector, 1, 2));
        registry.applyBatch(2, _batch2()); // gap
        registry.applyBatch(1, _batch2()); // idempotent content
        vm.stopPrank();
        assertEq(registry.seq(), 2, "seq");
        assertEq(registry.recordOf(alice).investorId, 1, "state unchanged by re-applying");
    }

    function test_remove_with_investor_id_zero() public {
        vm.prank(writer);
        registry.applyBatch(0, _batch2());
        EligibilityRegistry.Entry[] memory es = new EligibilityRegistry.Entry[](1);
        es[0] = EligibilityRegistry.Entry(alice, 0, "JP", 7, FAR); // other fields ignored
        vm.expectEmit(true, true, false, true);
        emit EligibilitySet(alice, 0, 0, 0, 0);
        vm.prank(writer);
        registry.applyBatch(1, es);
        EligibilityRegistry.Record memory r = registry.recordOf(alice);
        assertEq(r.investorId + r.categories + r.validUntil, 0, "cleared");
        assertEq(registry.checkReceiver(alice), ReasonCodes.NOT_WHITELISTED, "code");
    }

    function test_valid_until_is_inclusive() public {
        vm.prank(writer);
        registry.applyBatch(0, _batch2());
        vm.warp(T0 + 1000);
        assertEq(registry.checkReceiver(alice), ReasonCodes.OK, "at validUntil");
        vm.warp(T0 + 1001);
        assertEq(registry.checkReceiver(alice), ReasonCodes.WHITELIST_EXPIRED, "after validUntil");
        assertTrue(!registry.isEligible(alice), "isEligible");
    }

    function test_zero_wallet_rejected() public {
        EligibilityRegistry.Entry[] memory es = new EligibilityRegistry.Entry[](1);
        es[0] = _entry(address(0), 1, FAR);
        vm.prank(writer);
        vm.expectRevert(EligibilityRegistry.ZeroWallet.selector);
        registry.applyBatch(0, es);
        assertEq(registry.checkReceiver(address(0)), ReasonCodes.NOT_WHITELISTED, "zero never whitelisted");
    }

    function test_roles() public {
        bytes32 writerRole = registry.WRITER_ROLE();
        bytes32 pauserRole = registry.PAUSER_ROLE();
        EligibilityRegistry.Entry[] memory es = _batch2();
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, writerRole)
        );
        registry.applyBatch(0, es);
        vm.prank(writer);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, writer, pauserRole)
        );
        registry.pause();
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, writerRole)
        );
        registry.setCountryRule(true, new bytes2[](0));
        assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), admin), "admin");
    }

    function test_pause_stops_writes_not_reads() public {
        vm.prank(writer);
        registry.applyBatch(0, _batch2());
        vm.prank(pauser);
        registry.pause();
        assertTrue(registry.paused(), "paused");
        vm.prank(writer);
        vm.expectRevert(EligibilityRegistry.WritesPaused.selector);
        registry.applyBatch(1, _batch2());
        assertEq(registry.checkReceiver(alice), ReasonCodes.OK, "reads work");
        vm.prank(pauser);
        registry.unpause();
        vm.prank(writer);
        registry.applyBatch(1, _batch2());
    }

    function test_country_rule() public {
        assertTrue(registry.countryAllowed("US"), "default allows all");
        bytes2[] memory cs = new bytes2[](3);
        cs[0] = "JP";
        cs[1] = "AA";
        cs[2] = "ZZ";
        vm.prank(writer);
        registry.setCountryRule(true, cs);
        assertTrue(registry.countryAllowed("JP") && registry.countryAllowed("AA") && registry.countryAllowed("ZZ"), "listed");
        assertTrue(!registry.countryAllowed("US"), "unlisted");
        assertTrue(!registry.countryAllowed(0x0000), "invalid code not listed");
        (bool allowList, bytes2[] memory got) = registry.countryRule();
        assertTrue(allowList, "mode");
        assertEq(got.length, 3, "count");
        assertTrue(got[0] == "AA" && got[1] == "JP" && got[2] == "ZZ", "sorted list");

        cs[0] = "jp";
        vm.prank(writer);
        vm.expectRevert(abi.encodeWithSelector(EligibilityRegistry.InvalidCountry.selector, bytes2("jp")));
        registry.setCountryRule(false, cs);
    }

    /// Fuzz: any valid code round-trips through the bitmap in both modes.
    function testFuzz_country_bitmap(uint8 a, uint8 b, uint8 c, uint8 d) public {
        bytes2 listed = bytes2(uint16(0x41 + a % 26) << 8 | uint16(0x41 + b % 26));
        bytes2 other = bytes2(uint16(0x41 + c % 26) << 8 | uint16(0x41 + d % 26));
        vm.assume(listed != other);
        bytes2[] memory cs = new bytes2[](1);
        cs[0] = listed;
        vm.startPrank(writer);
        registry.setCountryRule(true, cs);
        assertTrue(registry.countryAllowed(listed) && !registry.countryAllowed(other), "allow-list");
        registry.setCountryRule(false, cs);
        assertTrue(!registry.countryAllowed(listed) && registry.countryAllowed(other), "deny-list");
        vm.stopPrank();
    }

    /// Fuzz: the state after a batch is the last entry per wallet, whatever came before.
    function testFuzz_idempotent_entries(uint64 id1, uint40 until1, uint64 id2, uint40 until2) public {
        EligibilityRegistry.Entry[] memory es = new EligibilityRegistry.Entry[](1);
        es[0] = _entry(carol, id1, until1);
        _apply(es);
        es[0] = _entry(carol, id2, until2);
        _apply(es);
        _apply(es);
        EligibilityRegistry.Record memory r = registry.recordOf(carol);
        assertEq(r.investorId, id2, "investorId");
        assertEq(r.validUntil, id2 == 0 ? 0 : until2, "validUntil");
    }
}
