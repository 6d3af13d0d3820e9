// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {SecurityToken} from "../src/SecurityToken.sol";
import {ReasonCodes} from "../src/ReasonCodes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

contract SecurityTokenTest is Fixture {
    uint40 internal constant LOCKUP_END = T0 + 30 days;

    function setUp() public {
        _deploy(0, 0);
        _whitelist(alice, 1, FAR);
        _whitelist(bob, 2, FAR);
        _mint(alice, 1000);
    }

    /// @dev Expects transfer(from -> to, value) to revert with `code`, and the
    /// views to report the same code first.
    function _expectRefused(address from, address to, uint256 value, uint8 code) internal {
        assertEq(token.detectTransferRestriction(from, to, value), code, "detectTransferRestriction");
        assertTrue(!token.canTransfer(from, to, value), "canTransfer should be false");
        vm.prank(from);
        vm.expectRevert(_restricted(code));
        token.transfer(to, value);
    }

    function _expectAllowed(address from, address to, uint256 value) internal {
        assertEq(token.detectTransferRestriction(from, to, value), ReasonCodes.OK, "detectTransferRestriction");
        assertTrue(token.canTransfer(from, to, value), "canTransfer should be true");
        uint256 before = token.balanceOf(to);
        vm.prank(from);
        token.transfer(to, value);
        if (from != to) assertEq(token.balanceOf(to), before + value, "receiver balance");
    }

    // ------------------------------------------------------------ one test per code

    function test_code_0_ok() public {
        _expectAllowed(alice, bob, 400);
        assertEq(token.balanceOf(alice), 600, "sender balance");
        assertEq(token.holderCount(), 2, "holders");
    }

    function test_code_11_token_paused() public {
        vm.prank(agent);
        token.pause();
        assertTrue(token.paused(), "paused");
        _expectRefused(alice, bob, 1, ReasonCodes.TOKEN_PAUSED);
        vm.prank(agent);
        token.unpause();
        _expectAllowed(alice, bob, 1);
    }

    function test_code_12_lockup_active() public {
        vm.prank(admin);
        token.setLockupEnd(LOCKUP_END);
        _expectRefused(alice, bob, 1, ReasonCodes.LOCKUP_ACTIVE);
        vm.warp(LOCKUP_END - 1);
        _expectRefused(alice, bob, 1, ReasonCodes.LOCKUP_ACTIVE);
        vm.warp(LOCKUP_END); // lock-up ends at lockupEnd
        _expectAllowed(alice, bob, 1);
    }

    function test_code_31_not_whitelisted() public {
        _expectRefused(alice, outsider, 1, ReasonCodes.NOT_WHITELISTED);
        _remove(bob);
        _expectRefused(alice, bob, 1, ReasonCodes.NOT_WHITELISTED);
    }

    function test_code_32_whitelist_expired() public {
        _whitelist(carol, 3, T0 + 100);
        vm.warp(T0 + 100); // valid-until is inclusive
        _expectAllowed(alice, carol, 1);
        vm.warp(T0 + 101);
        _expectRefused(alice, carol, 1, ReasonCodes.WHITELIST_EXPIRED);
    }

    function test_code_37_account_frozen_sender() public {
        vm.prank(agent);
        token.setAddressFrozen(alice, true);
        assertTrue(token.isFrozen(alice), "isFrozen");
        _expectRefused(alice, bob, 1, ReasonCodes.ACCOUNT_FROZEN);
        vm.prank(agent);
        token.setAddressFrozen(alice, false);
        _expectAllowed(alice, bob, 1);
    }

    function test_code_37_account_frozen_receiver() public {
        vm.prank(agent);
        token.setAddressFrozen(bob, true);
        _expectRefused(alice, bob, 1, ReasonCodes.ACCOUNT_FROZEN);
    }

    function test_code_43_country_restricted() public {
        bytes2[] memory jpOnly = new bytes2[](1);
        jpOnly[0] = "JP";
        vm.prank(writer);
        registry.setCountryRule(true, jpOnly);
        _whitelistCountry(carol, 3, "US");
        _expectRefused(alice, carol, 1, ReasonCodes.COUNTRY_RESTRICTED);
        _expectAllowed(alice, bob, 1); // bob is JP

        bytes2[] memory denyUs = new bytes2[](1);
        denyUs[0] = "US";
        vm.prank(writer);
        registry.setCountryRule(false, denyUs);
        _expectRefused(alice, carol, 1, ReasonCodes.COUNTRY_RESTRICTED);
        vm.prank(writer);
        registry.setCountryRule(false, new bytes2[](0));
        _expectAllowed(alice, carol, 1);
    }

    function test_code_50_max_holders_reached() public {
        vm.prank(admin);
        token.setMaxHolders(2);
        _expectAllowed(alice, bob, 10); // 2 holders now
        _whitelist(carol, 3, FAR);
        _expectRefused(alice, carol, 1, ReasonCodes.MAX_HOLDERS_REACHED);
        // Adding to an existing holder is fine, and so is a whole-balance move.
        _expectAllowed(alice, bob, 10);
        _expectAllowed(bob, carol, 20); // bob leaves, carol joins
        assertEq(token.holderCount(), 2, "holders");
        // Mint to a new holder is capped too.
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.MAX_HOLDERS_REACHED));
        token.mint(bob, 1);
    }

    function test_code_53_insufficient_balance() public {
        _expectRefused(alice, bob, 1001, ReasonCodes.INSUFFICIENT_BALANCE);
        vm.prank(agent);
        token.freezePartialTokens(alice, 600);
        assertEq(token.freeBalanceOf(alice), 400, "free balance");
        _expectRefused(alice, bob, 401, ReasonCodes.INSUFFICIENT_BALANCE);
        _expectAllowed(alice, bob, 400);
        vm.prank(agent);
        token.unfreezePartialTokens(alice, 100);
        _expectAllowed(alice, bob, 100);
        assertEq(token.getFrozenTokens(alice), 500, "frozen");
    }

    function test_check_order() public {
        // Every restriction at once: the first in the documented order wins.
        vm.startPrank(admin);
        token.setLockupEnd(LOCKUP_END);
        token.setMaxHolders(1);
        vm.stopPrank();
        vm.startPrank(agent);
        token.pause();
        token.setAddressFrozen(alice, true);
        vm.stopPrank();
        _whitelist(carol, 3, T0 - 1);
        uint256 v = 2000;
        _expectRefused(alice, carol, v, ReasonCodes.TOKEN_PAUSED);
        vm.prank(agent);
        token.unpause();
        _expectRefused(alice, carol, v, ReasonCodes.ACCOUNT_FROZEN);
        vm.prank(agent);
        token.setAddressFrozen(alice, false);
        _expectRefused(alice, carol, v, ReasonCodes.INSUFFICIENT_BALANCE);
        v = 10;
        _expectRefused(alice, carol, v, ReasonCodes.WHITELIST_EXPIRED);
        _whitelist(carol, 3, FAR);
        _expectRefused(alice, carol, v, ReasonCodes.MAX_HOLDERS_REACHED);
        vm.prank(admin);
        token.setMaxHolders(0);
        _expectRefused(alice, carol, v, ReasonCodes.LOCKUP_ACTIVE);
        vm.warp(LOCKUP_END);
        _expectAllowed(alice, carol, v);
    }

    function test_messages() public view {
        uint8[10] memory codes = [0, 11, 12, 31, 32, 37, 43, 50, 53, 99];
        for (uint256 i; i < codes.length; ++i) {
            assertTrue(bytes(token.messageForTransferRestriction(codes[i])).length > 0, "empty message");
        }
        assertEq(token.messageForTransferRestriction(99), "unknown restriction code", "unknown");
    }

    // ------------------------------------------------------------ transferFrom

    function test_transferFrom_is_checked() public {
        vm.prank(alice);
        token.approve(carol, 100);
        vm.prank(carol);
        vm.expectRevert(_restricted(ReasonCodes.NOT_WHITELISTED));
        token.transferFrom(alice, outsider, 10);
        vm.prank(carol);
        token.transferFrom(alice, bob, 10);
        assertEq(token.balanceOf(bob), 10, "bob");
        assertEq(token.allowance(alice, carol), 90, "allowance");
    }

    // ------------------------------------------------------------ agent operations

    function test_mint_requires_eligible_receiver() public {
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.NOT_WHITELISTED));
        token.mint(outsider, 1);
        assertTrue(!token.canTransfer(address(0), outsider, 1), "canTransfer(mint)");
        vm.prank(agent);
        token.setAddressFrozen(bob, true);
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.ACCOUNT_FROZEN));
        token.mint(bob, 1);
    }

    function test_mint_works_during_pause_and_lockup() public {
        vm.prank(admin);
        token.setLockupEnd(LOCKUP_END);
        vm.prank(agent);
        token.pause();
        _mint(bob, 5);
        assertEq(token.balanceOf(bob), 5, "bob");
        assertEq(token.totalSupply(), 1005, "supply");
    }

    function test_burn_is_exempt_and_unfreezes() public {
        _remove(alice); // no longer eligible: redemption still works
        vm.startPrank(agent);
        token.setAddressFrozen(alice, true);
        token.freezePartialTokens(alice, 900);
        token.pause();
        token.burn(alice, 500); // 100 free + 400 unfrozen
        vm.stopPrank();
        assertEq(token.balanceOf(alice), 500, "balance");
        assertEq(token.getFrozenTokens(alice), 500, "frozen");
        assertEq(token.totalSupply(), 500, "supply");
        vm.prank(agent);
        token.burn(alice, 500);
        assertEq(token.holderCount(), 0, "holders");
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.INSUFFICIENT_BALANCE));
        token.burn(alice, 1);
    }

    function test_forced_transfer() public {
        vm.prank(admin);
        token.setLockupEnd(LOCKUP_END);
        vm.startPrank(agent);
        token.pause();
        token.setAddressFrozen(alice, true);
        token.freezePartialTokens(alice, 1000);
        vm.expectRevert(_restricted(ReasonCodes.NOT_WHITELISTED));
        token.forcedTransfer(alice, outsider, 10);
        vm.expectRevert(_restricted(ReasonCodes.INSUFFICIENT_BALANCE));
        token.forcedTransfer(alice, bob, 1001);
        token.forcedTransfer(alice, bob, 300);
        vm.stopPrank();
        assertEq(token.balanceOf(bob), 300, "bob");
        assertEq(token.getFrozenTokens(alice), 700, "frozen after forced transfer");
    }

    function test_only_agent() public {
        bytes memory err =
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, token.AGENT_ROLE());
        vm.startPrank(alice);
        vm.expectRevert(err);
        token.mint(alice, 1);
        vm.expectRevert(err);
        token.burn(alice, 1);
        vm.expectRevert(err);
        token.forcedTransfer(alice, bob, 1);
        vm.expectRevert(err);
        token.pause();
        vm.expectRevert(err);
        token.setAddressFrozen(bob, true);
        vm.expectRevert(err);
        token.freezePartialTokens(bob, 1);
        vm.stopPrank();
    }

    function test_freeze_bounds() public {
        vm.startPrank(agent);
        vm.expectRevert(abi.encodeWithSelector(SecurityToken.FreezeExceedsFreeBalance.selector, alice, 1000, 1001));
        token.freezePartialTokens(alice, 1001);
        token.freezePartialTokens(alice, 1000);
        vm.expectRevert(abi.encodeWithSelector(SecurityToken.UnfreezeExceedsFrozen.selector, alice, 1000, 1001));
        token.unfreezePartialTokens(alice, 1001);
        vm.stopPrank();
    }

    function test_supply_cap() public {
        uint256 max = token.MAX_SUPPLY();
        _mint(bob, max - 1000);
        vm.prank(agent);
        vm.expectRevert(abi.encodeWithSelector(SecurityToken.SupplyCapExceeded.selector, max + 1, max));
        token.mint(bob, 1);
    }

    function test_constructor_state() public {
        SecurityToken t = new SecurityToken("N", "S", 18, registry, admin, agent, 49, LOCKUP_END, 5000);
        assertEq(t.decimals(), 18, "decimals");
        assertEq(t.maxHolders(), 49, "maxHolders");
        assertEq(t.lockupEnd(), LOCKUP_END, "lockupEnd");
        assertEq(t.supplyCap(), 5000, "supplyCap");
        assertEq(address(t.registry()), address(registry), "registry");
        assertTrue(t.hasRole(t.AGENT_ROLE(), agent), "agent role");
        assertTrue(t.hasRole(t.DEFAULT_ADMIN_ROLE(), admin), "admin role");
    }

    // ------------------------------------------------------------ fuzz

    /// Amounts: any transfer within the free balance succeeds; anything above is 53.
    function testFuzz_amounts(uint256 minted, uint256 frozen, uint256 value) public {
        minted = bound(minted, 0, token.MAX_SUPPLY() - 1000);
        _mint(bob, minted);
        frozen = bound(frozen, 0, minted);
        vm.prank(agent);
        token.freezePartialTokens(bob, frozen);
        uint256 free = minted - frozen;
        if (value > free) {
            _expectRefused(bob, alice, value, ReasonCodes.INSUFFICIENT_BALANCE);
        } else {
            _expectAllowed(bob, alice, value);
            assertEq(token.balanceOf(bob), minted - value, "sender");
        }
    }

    /// Times: a receiver is eligible exactly while block.timestamp <= validUntil.
    function testFuzz_valid_until(uint40 validUntil, uint40 now_) public {
        _whitelist(carol, 3, validUntil);
        vm.warp(now_);
        if (now_ <= validUntil) {
            _expectAllowed(alice, carol, 1);
        } else {
            _expectRefused(alice, carol, 1, ReasonCodes.WHITELIST_EXPIRED);
        }
    }

    /// Times: lock-up is active exactly while block.timestamp < lockupEnd.
    function testFuzz_lockup(uint40 lockupEnd, uint40 now_) public {
        vm.prank(admin);
        token.setLockupEnd(lockupEnd);
        vm.warp(now_);
        if (now_ < lockupEnd) {
            _expectRefused(alice, bob, 1, ReasonCodes.LOCKUP_ACTIVE);
        } else {
            _expectAllowed(alice, bob, 1);
        }
    }

    /// Addresses: a non-whitelisted wallet never receives.
    function testFuzz_addresses(address to, uint256 value) public {
        vm.assume(to != address(0) && to != alice && to != bob);
        value = bound(value, 0, 1000);
        _expectRefused(alice, to, value, ReasonCodes.NOT_WHITELISTED);
        _whitelist(to, 77, FAR);
        _expectAllowed(alice, to, value);
    }
}
