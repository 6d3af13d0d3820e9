// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {SecurityToken} from "../src/SecurityToken.sol";
import {ReasonCodes} from "../src/ReasonCodes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Transfer approval (譲渡承認) and lost-wallet recovery.
contract TransferControlsTest is Fixture {
    function setUp() public {
        _deploy(0, 0);
        _whitelist(alice, 1, FAR);
        _whitelist(bob, 2, FAR);
        _whitelist(carol, 3, FAR);
        _mint(alice, 1000);
        vm.prank(admin);
        token.setTransferApprovalRequired(true);
    }

    function _approve(address from, address to, uint256 amount, uint40 expiry) internal {
        vm.prank(agent);
        token.approveTransfer(from, to, amount, expiry);
    }

    function _expectRefused(address from, address to, uint256 value, uint8 code) internal {
        assertEq(token.detectTransferRestriction(from, to, value), code, "detectTransferRestriction");
        assertTrue(!token.canTransfer(from, to, value), "canTransfer should be false");
        vm.prank(from);
        vm.expectRevert(_restricted(code));
        token.transfer(to, value);
    }

    // ------------------------------------------------------------ approval

    function test_unapproved_transfer_reverts_with_approval_code() public {
        assertTrue(token.transferApprovalRequired(), "required");
        _expectRefused(alice, bob, 100, ReasonCodes.TRANSFER_NOT_APPROVED);
        assertEq(token.messageForTransferRestriction(ReasonCodes.TRANSFER_NOT_APPROVED),
            "the issuance requires an approved transfer application and this transfer has none", "message");
    }

    function test_approved_transfer_succeeds_once_and_replay_reverts() public {
        _approve(alice, bob, 100, T0 + 1 days);
        assertEq(token.transferApproval(alice, bob, 100), T0 + 1 days, "recorded expiry");
        assertEq(token.detectTransferRestriction(alice, bob, 100), ReasonCodes.OK, "approved");
        vm.prank(alice);
        token.transfer(bob, 100);
        assertEq(token.balanceOf(bob), 100, "moved");
        assertEq(token.transferApproval(alice, bob, 100), 0, "consumed");
        _expectRefused(alice, bob, 100, ReasonCodes.TRANSFER_NOT_APPROVED);
    }

    function test_approval_binds_exact_transfer() public {
        _approve(alice, bob, 100, T0 + 1 days);
        _expectRefused(alice, bob, 99, ReasonCodes.TRANSFER_NOT_APPROVED); // other amount
        _expectRefused(alice, carol, 100, ReasonCodes.TRANSFER_NOT_APPROVED); // other receiver
        vm.prank(alice);
        token.transfer(bob, 100);
    }

    function test_approval_consumed_by_transfer_from() public {
        _approve(alice, bob, 100, T0 + 1 days);
        vm.prank(alice);
        token.approve(carol, 100);
        vm.prank(carol);
        token.transferFrom(alice, bob, 100);
        assertEq(token.transferApproval(alice, bob, 100), 0, "consumed");
    }

    function test_approval_expires() public {
        _approve(alice, bob, 100, T0 + 1 days);
        vm.warp(T0 + 1 days); // valid through its expiry second
        assertEq(token.detectTransferRestriction(alice, bob, 100), ReasonCodes.OK, "valid at expiry");
        vm.warp(T0 + 1 days + 1);
        _expectRefused(alice, bob, 100, ReasonCodes.TRANSFER_NOT_APPROVED);
    }

    function test_approval_revoked_with_zero_expiry() public {
        _approve(alice, bob, 100, T0 + 1 days);
        _approve(alice, bob, 100, 0);
        _expectRefused(alice, bob, 100, ReasonCodes.TRANSFER_NOT_APPROVED);
    }

    function test_other_restrictions_come_first() public {
        _approve(alice, bob, 100, T0 + 1 days);
        vm.prank(agent);
        token.pause();
        _expectRefused(alice, bob, 100, ReasonCodes.TOKEN_PAUSED);
        vm.prank(agent);
        token.unpause();
        assertEq(token.transferApproval(alice, bob, 100), T0 + 1 days, "a refused transfer consumes nothing");
    }

    function test_mint_forced_transfer_and_burn_need_no_approval() public {
        _mint(bob, 10);
        vm.prank(agent);
        token.forcedTransfer(alice, carol, 10);
        vm.prank(agent);
        token.burn(alice, 10);
        assertEq(token.balanceOf(carol), 10, "forced");
        assertEq(token.balanceOf(alice), 980, "burned");
    }

    function test_without_requirement_no_approval_needed() public {
        vm.prank(admin);
        token.setTransferApprovalRequired(false);
        assertTrue(!token.transferApprovalRequired(), "off");
        vm.prank(alice);
        token.transfer(bob, 100);
        assertEq(token.balanceOf(bob), 100, "moved");
    }

    function test_only_agent_approves_only_admin_requires() public {
        bytes32 agentRole = token.AGENT_ROLE();
        bytes32 adminRole = token.DEFAULT_ADMIN_ROLE();
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, agentRole));
        token.approveTransfer(alice, bob, 100, T0 + 1 days);
        vm.prank(agent);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, agent, adminRole));
        token.setTransferApprovalRequired(false);
    }

    function testFuzz_approval_admits_exactly_one_transfer(uint256 amount, uint40 ttl) public {
        amount = bound(amount, 1, 500); // the replay must find balance left
        ttl = uint40(bound(ttl, 0, 365 days));
        _approve(alice, bob, amount, T0 + ttl);
        vm.prank(alice);
        token.transfer(bob, amount);
        assertEq(token.detectTransferRestriction(alice, bob, amount), ReasonCodes.TRANSFER_NOT_APPROVED, "replay");
    }

    // ------------------------------------------------------------ recovery

    function test_recovery_moves_balance_and_frozen_and_freezes_lost_wallet() public {
        vm.prank(agent);
        token.freezePartialTokens(alice, 300);
        vm.prank(agent);
        assertTrue(token.recoveryAddress(alice, carol), "recovered");
        assertEq(token.balanceOf(alice), 0, "lost wallet empty");
        assertEq(token.getFrozenTokens(alice), 0, "lost wallet frozen amount");
        assertTrue(token.isFrozen(alice), "lost wallet frozen");
        assertEq(token.balanceOf(carol), 1000, "new wallet balance");
        assertEq(token.getFrozenTokens(carol), 300, "frozen amount moved");
        assertEq(token.freeBalanceOf(carol), 700, "free balance");
        assertEq(token.holderCount(), 1, "one holder");
        // The lost wallet receives nothing any more.
        assertEq(token.detectTransferRestriction(address(0), alice, 1), ReasonCodes.ACCOUNT_FROZEN, "mint to lost");
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.ACCOUNT_FROZEN));
        token.mint(alice, 1);
    }

    function test_recovery_adds_to_existing_frozen_amount() public {
        _mint(carol, 50);
        vm.prank(agent);
        token.freezePartialTokens(carol, 20);
        vm.prank(agent);
        token.freezePartialTokens(alice, 100);
        vm.prank(agent);
        token.recoveryAddress(alice, carol);
        assertEq(token.getFrozenTokens(carol), 120, "frozen amounts add up");
        assertEq(token.balanceOf(carol), 1050, "balances add up");
    }

    function test_recovery_needs_an_eligible_new_wallet() public {
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.NOT_WHITELISTED));
        token.recoveryAddress(alice, outsider);
        vm.prank(agent);
        vm.expectRevert(abi.encodeWithSelector(SecurityToken.InvalidRecovery.selector, alice, alice));
        token.recoveryAddress(alice, alice);
        bytes32 agentRole = token.AGENT_ROLE();
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, agentRole));
        token.recoveryAddress(alice, carol);
    }

    function test_recovery_ignores_approval_requirement_and_pause() public {
        vm.prank(agent);
        token.pause();
        vm.prank(agent);
        token.recoveryAddress(alice, carol);
        assertEq(token.balanceOf(carol), 1000, "moved while paused, without approval");
    }
}
