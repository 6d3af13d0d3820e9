// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {SecurityToken} from "../src/SecurityToken.sol";
import {ReasonCodes} from "../src/ReasonCodes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice The issuance's supply cap (code 13, the same number the node's
/// engine refuses with off-chain) and batchMint for primary allocations.
contract BatchMintTest is Fixture {
    event SupplyCapSet(uint256 supplyCap);

    function setUp() public {
        _deploy(0, 0);
        _whitelist(alice, 1, FAR);
        _whitelist(bob, 2, FAR);
        _whitelist(carol, 3, FAR);
        _mint(alice, 1000);
    }

    function _setCap(uint256 cap) internal {
        vm.prank(admin);
        token.setSupplyCap(cap);
    }

    function _batch(address a, uint256 x, address b, uint256 y)
        internal
        pure
        returns (address[] memory ws, uint256[] memory as_)
    {
        ws = new address[](2);
        as_ = new uint256[](2);
        (ws[0], ws[1], as_[0], as_[1]) = (a, b, x, y);
    }

    // ------------------------------------------------------------ supply cap

    function test_deploy_without_cap_is_uncapped() public view {
        assertEq(token.supplyCap(), type(uint256).max, "supplyCap");
    }

    function test_code_13_supply_cap_exceeded_mint() public {
        _setCap(1500);
        assertEq(token.detectTransferRestriction(address(0), bob, 501), ReasonCodes.SUPPLY_CAP_EXCEEDED, "detect 501");
        assertTrue(!token.canTransfer(address(0), bob, 501), "canTransfer 501");
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.SUPPLY_CAP_EXCEEDED));
        token.mint(bob, 501);

        assertEq(token.detectTransferRestriction(address(0), bob, 500), ReasonCodes.OK, "detect 500");
        _mint(bob, 500); // exactly up to the cap
        assertEq(token.totalSupply(), 1500, "supply at cap");
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.SUPPLY_CAP_EXCEEDED));
        token.mint(bob, 1);
        _mint(bob, 0); // a zero mint never exceeds
    }

    function test_supply_cap_message() public view {
        assertEq(
            token.messageForTransferRestriction(ReasonCodes.SUPPLY_CAP_EXCEEDED),
            "the mint would take the supply above the issuance's cap",
            "message"
        );
    }

    function test_supply_cap_checked_before_receiver() public {
        // The issuance-wide refusal comes first, as in the off-chain engine.
        _setCap(1000);
        assertEq(
            token.detectTransferRestriction(address(0), outsider, 1), ReasonCodes.SUPPLY_CAP_EXCEEDED, "first code"
        );
    }

    function test_lowering_cap_below_supply_only_stops_mints() public {
        _setCap(10);
        vm.prank(alice);
        token.transfer(bob, 400);
        vm.prank(agent);
        token.burn(bob, 100);
        assertEq(token.totalSupply(), 900, "supply after burn");
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.SUPPLY_CAP_EXCEEDED));
        token.mint(bob, 1);
        // Burning frees room under a raised cap again.
        _setCap(901);
        _mint(carol, 1);
    }

    function test_set_supply_cap_admin_only() public {
        bytes32 role = token.DEFAULT_ADMIN_ROLE(); // before the prank, which the next call consumes
        vm.prank(agent);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, agent, role));
        token.setSupplyCap(1);

        vm.expectEmit(false, false, false, true);
        emit SupplyCapSet(2000);
        _setCap(2000);
        assertEq(token.supplyCap(), 2000, "supplyCap");
    }

    function test_constructor_sets_cap() public {
        SecurityToken t = new SecurityToken("N", "S", 0, registry, admin, agent, 0, 0, 7);
        assertEq(t.supplyCap(), 7, "supplyCap");
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.SUPPLY_CAP_EXCEEDED));
        t.mint(alice, 8);
    }

    /// The cap refuses exactly the mints that would take the supply above it,
    /// for any cap and value (no overflow at the top of uint256).
    function testFuzz_supply_cap(uint256 cap, uint256 value) public {
        _setCap(cap);
        bool over = value > cap || 1000 > cap - value;
        uint8 code = token.detectTransferRestriction(address(0), bob, value);
        if (over) {
            assertEq(code, ReasonCodes.SUPPLY_CAP_EXCEEDED, "over the cap");
        } else if (value <= token.MAX_SUPPLY() - 1000) {
            assertEq(code, ReasonCodes.OK, "within the cap");
            _mint(bob, value);
            assertEq(token.totalSupply(), 1000 + value, "supply");
        }
    }

    // ------------------------------------------------------------ batchMint

    function test_batch_mint() public {
        (address[] memory ws, uint256[] memory as_) = _batch(bob, 300, carol, 200);
        vm.prank(agent);
        token.batchMint(ws, as_);
        assertEq(token.balanceOf(bob), 300, "bob");
        assertEq(token.balanceOf(carol), 200, "carol");
        assertEq(token.totalSupply(), 1500, "supply");
        assertEq(token.holderCount(), 3, "holders");
    }

    function test_batch_mint_same_wallet_twice_adds_up() public {
        (address[] memory ws, uint256[] memory as_) = _batch(bob, 1, bob, 2);
        vm.prank(agent);
        token.batchMint(ws, as_);
        assertEq(token.balanceOf(bob), 3, "bob");
        assertEq(token.holderCount(), 2, "holders");
    }

    function test_batch_mint_empty() public {
        vm.prank(agent);
        token.batchMint(new address[](0), new uint256[](0));
        assertEq(token.totalSupply(), 1000, "supply");
    }

    function test_batch_mint_length_mismatch() public {
        vm.prank(agent);
        vm.expectRevert(abi.encodeWithSelector(SecurityToken.BatchLengthMismatch.selector, 2, 1));
        token.batchMint(new address[](2), new uint256[](1));
    }

    function test_batch_mint_agent_only() public {
        (address[] memory ws, uint256[] memory as_) = _batch(bob, 1, carol, 1);
        bytes32 role = token.AGENT_ROLE();
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, admin, role));
        token.batchMint(ws, as_);
    }

    function test_batch_mint_refused_row_reverts_batch() public {
        (address[] memory ws, uint256[] memory as_) = _batch(bob, 1, outsider, 1);
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.NOT_WHITELISTED));
        token.batchMint(ws, as_);
        assertEq(token.balanceOf(bob), 0, "no row minted");
        assertEq(token.totalSupply(), 1000, "supply");
    }

    function test_batch_mint_cap_counts_earlier_rows() public {
        _setCap(1500);
        (address[] memory ws, uint256[] memory as_) = _batch(bob, 300, carol, 201);
        vm.prank(agent);
        vm.expectRevert(_restricted(ReasonCodes.SUPPLY_CAP_EXCEEDED));
        token.batchMint(ws, as_);
        as_[1] = 200;
        vm.prank(agent);
        token.batchMint(ws, as_);
        assertEq(token.totalSupply(), 1500, "supply at cap");
    }

    /// Any batch within the cap ends with totalSupply equal to the sum minted.
    function testFuzz_batch_mint_sum(uint64[8] memory amounts, uint8 n) public {
        n = uint8(bound(n, 0, 8));
        address[] memory ws = new address[](n);
        uint256[] memory as_ = new uint256[](n);
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            ws[i] = [alice, bob, carol][i % 3];
            as_[i] = amounts[i];
            sum += amounts[i];
        }
        vm.prank(agent);
        token.batchMint(ws, as_);
        assertEq(token.totalSupply(), 1000 + sum, "supply");
        assertEq(
            token.balanceOf(alice) + token.balanceOf(bob) + token.balanceOf(carol), token.totalSupply(), "balances"
        );
    }
}
