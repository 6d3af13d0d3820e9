// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC1404} from "./IERC1404.sol";
import {IEligibilityRegistry} from "./IEligibilityRegistry.sol";
import {ReasonCodes} from "./ReasonCodes.sol";

/// @title SecurityToken
/// @notice A restricted ERC-20 for one issuance. Every balance change (transfer,
/// transferFrom, mint, burn, forced transfer) passes through `_update`, which
/// checks, in this order:
///   paused → frozen sender or receiver → free (unfrozen) balance →
///   receiver eligible, not expired, country allowed (EligibilityRegistry) →
///   holder cap → lock-up
/// and reverts with `TransferRestricted(code)` using stonode's reason codes.
/// `detectTransferRestriction` and `canTransfer` run the same function without
/// reverting, so they agree exactly with the revert.
///
/// Which checks apply to which operation:
///   transfer / transferFrom: all of them.
///   mint (agent):            supply cap, frozen receiver, receiver eligibility,
///                            holder cap (primary allocation works during pause
///                            and lock-up). batchMint mints rows in order, all or
///                            nothing: the first refused row reverts the batch.
///   burn / redeem (agent):   only the holder's total balance; explicitly exempt
///                            from receiver eligibility (address(0) is never
///                            whitelisted). Frozen tokens are unfrozen as needed.
///   forcedTransfer (agent):  sender's total balance, receiver eligibility, holder
///                            cap; bypasses pause, wallet freezes and lock-up, and
///                            unfreezes frozen tokens as needed (ERC-3643 style).
///   recoveryAddress (agent): a forced transfer of the lost wallet's whole
///                            balance that keeps its frozen amount frozen on the
///                            new wallet, then freezes the lost wallet.
///
/// Transfer approval (譲渡承認): when the admin sets transferApprovalRequired,
/// a transfer / transferFrom passes only with an approval of exactly (from, to,
/// amount) recorded by the agent (approveTransfer) and not expired
/// (block.timestamp <= expiry); the transfer consumes it, so it admits one
/// transfer. Checked last, after lock-up, with TRANSFER_NOT_APPROVED. The flag
/// is a bit of the token-wide slot a transfer reads anyway, so a token that
/// does not require approval pays no storage read for it.
///
/// The holder cap counts wallets with a non-zero balance (stricter than the
/// off-chain engine, which counts investors). maxHolders 0 means unlimited.
/// The lock-up is active while `block.timestamp < lockupEnd`.
///
/// Storage: OpenZeppelin's ERC20 provides metadata, allowances, errors and the
/// Transfer/Approval events; balances live in one packed slot per wallet
/// (balance, frozen amount, frozen flag) and the supply, holder count, pause
/// flag, lock-up end and cap in one token-wide slot, so a transfer touches the
/// same two balance slots a plain ERC-20 does plus one config slot and one
/// registry slot. The total supply is capped at 2^127 - 1 base units, and
/// within that at the issuance's supply cap (its own slot, read only by mints;
/// type(uint256).max = no cap), refused with SUPPLY_CAP_EXCEEDED like any other
/// restriction so the node reports the same code on-chain and off-chain.
contract SecurityToken is ERC20, AccessControl, IERC1404 {
    /// @notice Mints, burns, forces transfers, freezes and pauses.
    bytes32 public constant AGENT_ROLE = keccak256("AGENT_ROLE");

    /// @notice Largest total supply, in base units.
    uint256 public constant MAX_SUPPLY = (1 << 127) - 1;

    /// @notice The issuance's eligibility registry (fixed for the token's life).
    IEligibilityRegistry public immutable registry;
    uint8 private immutable _decimals;

    // Token-wide state in one slot:
    //   bits   0..7   paused (0/1)
    //   bits   8..47  lockupEnd (uint40)
    //   bits  48..79  maxHolders (uint32)
    //   bits  80..111 holderCount (uint32)
    //   bits 112..239 totalSupply (uint128, <= MAX_SUPPLY)
    //   bit  240      transfer approval required
    uint256 private _state;

    // Per wallet, one slot:
    //   bits   0..127 balance
    //   bits 128..254 frozen amount (<= balance)
    //   bit  255      wallet frozen
    mapping(address wallet => uint256) private _accounts;

    // The issuance's supply cap (type(uint256).max = none); only mints read it.
    uint256 private _supplyCap;

    // Transfer approvals: keccak256(from, to, amount) => expiry (unix seconds,
    // 0 = none). Read only when the approval bit of _state is set.
    mapping(bytes32 transfer => uint256 expiry) private _transferApprovals;

    // Set only for the duration of forcedTransfer.
    bool private transient _forcing;

    uint256 private constant _U32 = 0xffffffff;
    uint256 private constant _U40 = 0xffffffffff;
    uint256 private constant _U128 = type(uint128).max;
    uint256 private constant _FROZEN_BIT = 1 << 255;
    uint256 private constant _AMOUNT_MASK = (1 << 127) - 1;
    uint256 private constant _APPROVAL_BIT = 1 << 240;

    /// @notice The operation was refused with an ERC-1404 restriction code.
    error TransferRestricted(uint8 code);
    error FreezeExceedsFreeBalance(address wallet, uint256 free, uint256 amount);
    error UnfreezeExceedsFrozen(address wallet, uint256 frozen, uint256 amount);
    error SupplyCapExceeded(uint256 supply, uint256 max);
    error BatchLengthMismatch(uint256 wallets, uint256 amounts);
    error InvalidRecovery(address lostWallet, address newWallet);

    // ERC-3643 names.
    event AddressFrozen(address indexed userAddress, bool indexed isFrozen, address indexed owner);
    event TokensFrozen(address indexed userAddress, uint256 amount);
    event TokensUnfrozen(address indexed userAddress, uint256 amount);
    event Paused(address userAddress);
    event Unpaused(address userAddress);
    // stonode additions.
    event ForcedTransfer(address indexed from, address indexed to, uint256 amount, address indexed agent);
    event LockupEndSet(uint40 lockupEnd);
    event MaxHoldersSet(uint32 maxHolders);
    event SupplyCapSet(uint256 supplyCap);
    event TransferApprovalRequiredSet(bool required);
    /// expiry 0 revokes the approval.
    event TransferApproved(address indexed from, address indexed to, uint256 amount, uint40 expiry);
    // ERC-3643 name (this token has no ONCHAINID: the agent is the third field).
    event RecoverySuccess(address indexed lostWallet, address indexed newWallet, address indexed agent);

    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        IEligibilityRegistry registry_,
        address admin,
        address agent,
        uint32 maxHolders_,
        uint40 lockupEnd_,
        uint256 supplyCap_
    ) ERC20(name_, symbol_) {
        registry = registry_;
        _decimals = decimals_;
        _state = (uint256(lockupEnd_) << 8) | (uint256(maxHolders_) << 48);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        if (agent != address(0)) _grantRole(AGENT_ROLE, agent);
        emit MaxHoldersSet(maxHolders_);
        emit LockupEndSet(lockupEnd_);
        _supplyCap = supplyCap_;
        emit SupplyCapSet(supplyCap_);
    }

    // ---------------------------------------------------------------- views

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function totalSupply() public view override returns (uint256) {
        return (_state >> 112) & _U128;
    }

    function balanceOf(address account) public view override returns (uint256) {
        return _accounts[account] & _U128;
    }

    function paused() external view returns (bool) {
        return _state & 1 == 1;
    }

    function lockupEnd() external view returns (uint40) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint40(_state >> 8); // packed field
    }

    function maxHolders() external view returns (uint32) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint32(_state >> 48); // packed field
    }

    /// @notice Number of wallets with a non-zero balance.
    function holderCount() external view returns (uint32) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint32(_state >> 80); // packed field
    }

    /// @notice Largest total supply mints may reach (type(uint256).max = no cap
    /// below MAX_SUPPLY).
    function supplyCap() external view returns (uint256) {
        return _supplyCap;
    }

    function isFrozen(address wallet) external view returns (bool) {
        return _accounts[wallet] & _FROZEN_BIT != 0;
    }

    function getFrozenTokens(address wallet) external view returns (uint256) {
        return (_accounts[wallet] >> 128) & _AMOUNT_MASK;
    }

    /// @notice Balance minus frozen tokens.
    function freeBalanceOf(address wallet) external view returns (uint256) {
        uint256 a = _accounts[wallet];
        return (a & _U128) - ((a >> 128) & _AMOUNT_MASK);
    }

    /// @inheritdoc IERC1404
    /// @dev from == address(0) evaluates a mint, to == address(0) a burn.
    function detectTransferRestriction(address from, address to, uint256 value) public view returns (uint8) {
        return _restriction(_state, from, _accounts[from], to, _accounts[to], value, false);
    }

    /// @inheritdoc IERC1404
    function messageForTransferRestriction(uint8 restrictionCode) external pure returns (string memory) {
        return ReasonCodes.message(restrictionCode);
    }

    /// @notice True exactly when `from` calling transfer(to, amount) would not be
    /// refused by a restriction (mint/burn semantics for address(0), as above).
    function canTransfer(address from, address to, uint256 amount) external view returns (bool) {
        return detectTransferRestriction(from, to, amount) == ReasonCodes.OK;
    }

    // ---------------------------------------------------------------- agent

    /// @notice Mints to an eligible, unfrozen wallet within the supply and holder caps.
    function mint(address to, uint256 amount) external onlyRole(AGENT_ROLE) {
        _mint(to, amount);
    }

    /// @notice Mints amounts[i] to wallets[i] for every i, in order and all or
    /// nothing: a row mint would refuse reverts the whole batch with its code.
    /// One transaction for a primary allocation's rows (gas per row in Gas.t.sol).
    function batchMint(address[] calldata wallets, uint256[] calldata amounts) external onlyRole(AGENT_ROLE) {
        if (wallets.length != amounts.length) revert BatchLengthMismatch(wallets.length, amounts.length);
        for (uint256 i; i < wallets.length; ++i) {
            _mint(wallets[i], amounts[i]);
        }
    }

    /// @notice Redeems (burns) `amount` from `from`, unfreezing tokens as needed.
    function burn(address from, uint256 amount) external onlyRole(AGENT_ROLE) {
        _burn(from, amount);
    }

    /// @notice Moves tokens without the holder's consent. The receiver must still
    /// be eligible and the holder cap holds; pause, freezes and lock-up do not apply.
    function forcedTransfer(address from, address to, uint256 amount) external onlyRole(AGENT_ROLE) returns (bool) {
        _forcing = true;
        _transfer(from, to, amount);
        _forcing = false;
        emit ForcedTransfer(from, to, amount, msg.sender);
        return true;
    }

    /// @notice Replaces a lost wallet: moves its whole balance to newWallet as a
    /// forced transfer (newWallet must be eligible; the holder cap holds), keeps
    /// the lost wallet's frozen amount frozen on newWallet, and freezes the lost
    /// wallet, in one transaction.
    function recoveryAddress(address lostWallet, address newWallet) external onlyRole(AGENT_ROLE) returns (bool) {
        if (newWallet == address(0) || newWallet == lostWallet) revert InvalidRecovery(lostWallet, newWallet);
        uint256 lostAcc = _accounts[lostWallet];
        uint256 frozen = (lostAcc >> 128) & _AMOUNT_MASK;
        _forcing = true;
        _transfer(lostWallet, newWallet, lostAcc & _U128); // unfreezes the lost wallet's frozen amount
        _forcing = false;
        if (frozen != 0) {
            uint256 a = _accounts[newWallet];
            _accounts[newWallet] = _withFrozenAmount(a, ((a >> 128) & _AMOUNT_MASK) + frozen);
            emit TokensFrozen(newWallet, frozen);
        }
        _accounts[lostWallet] |= _FROZEN_BIT;
        emit AddressFrozen(lostWallet, true, msg.sender);
        emit RecoverySuccess(lostWallet, newWallet, msg.sender);
        return true;
    }

    /// @notice Records the approval of one transfer of exactly `amount` from
    /// `from` to `to`, valid while block.timestamp <= expiry; expiry 0 revokes
    /// it. A later approval of the same transfer replaces the earlier one.
    function approveTransfer(address from, address to, uint256 amount, uint40 expiry) external onlyRole(AGENT_ROLE) {
        _transferApprovals[_approvalKey(from, to, amount)] = expiry;
        emit TransferApproved(from, to, amount, expiry);
    }

    function setAddressFrozen(address wallet, bool freeze) external onlyRole(AGENT_ROLE) {
        uint256 a = _accounts[wallet];
        _accounts[wallet] = freeze ? a | _FROZEN_BIT : a & ~_FROZEN_BIT;
        emit AddressFrozen(wallet, freeze, msg.sender);
    }

    function freezePartialTokens(address wallet, uint256 amount) external onlyRole(AGENT_ROLE) {
        uint256 a = _accounts[wallet];
        uint256 frozen = (a >> 128) & _AMOUNT_MASK;
        uint256 free = (a & _U128) - frozen;
        if (amount > free) revert FreezeExceedsFreeBalance(wallet, free, amount);
        _accounts[wallet] = _withFrozenAmount(a, frozen + amount);
        emit TokensFrozen(wallet, amount);
    }

    function unfreezePartialTokens(address wallet, uint256 amount) external onlyRole(AGENT_ROLE) {
        uint256 a = _accounts[wallet];
        uint256 frozen = (a >> 128) & _AMOUNT_MASK;
        if (amount > frozen) revert UnfreezeExceedsFrozen(wallet, frozen, amount);
        _accounts[wallet] = _withFrozenAmount(a, frozen - amount);
        emit TokensUnfrozen(wallet, amount);
    }

    function pause() external onlyRole(AGENT_ROLE) {
        _state |= 1;
        emit Paused(msg.sender);
    }

    function unpause() external onlyRole(AGENT_ROLE) {
        _state &= ~uint256(0xff);
        emit Unpaused(msg.sender);
    }

    // ---------------------------------------------------------------- admin

    function setLockupEnd(uint40 lockupEnd_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _state = (_state & ~(_U40 << 8)) | (uint256(lockupEnd_) << 8);
        emit LockupEndSet(lockupEnd_);
    }

    /// @notice 0 = unlimited. Lowering it below holderCount() only stops new holders.
    function setMaxHolders(uint32 maxHolders_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _state = (_state & ~(_U32 << 48)) | (uint256(maxHolders_) << 48);
        emit MaxHoldersSet(maxHolders_);
    }

    /// @notice The issuance's supply cap (type(uint256).max = none). Lowering it
    /// below totalSupply() only stops further mints; term changes call this.
    function setSupplyCap(uint256 supplyCap_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _supplyCap = supplyCap_;
        emit SupplyCapSet(supplyCap_);
    }

    /// @notice Whether every transfer between holders needs an approval
    /// (approveTransfer) from the agent.
    function setTransferApprovalRequired(bool required) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _state = required ? _state | _APPROVAL_BIT : _state & ~_APPROVAL_BIT;
        emit TransferApprovalRequiredSet(required);
    }

    function transferApprovalRequired() external view returns (bool) {
        return _state & _APPROVAL_BIT != 0;
    }

    /// @notice Expiry of the approval of this exact transfer (0 = none).
    function transferApproval(address from, address to, uint256 amount) external view returns (uint40) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint40(_transferApprovals[_approvalKey(from, to, amount)]); // stored from a uint40
    }

    // ---------------------------------------------------------------- core

    /// @dev The single point every balance change passes (replaces OZ's
    /// balance bookkeeping with the packed slots above).
    function _update(address from, address to, uint256 value) internal override {
        uint256 state = _state;
        uint256 fromAcc = _accounts[from];
        uint256 toAcc = _accounts[to];
        bool forcing = _forcing;

        uint8 code = _restriction(state, from, fromAcc, to, toAcc, value, forcing);
        if (code != ReasonCodes.OK) revert TransferRestricted(code);
        if (state & _APPROVAL_BIT != 0 && from != address(0) && to != address(0) && !forcing) {
            // The approval _restriction found admits this one transfer; its
            // Transfer event is the record of the consumption (no event of its
            // own: gas).
            delete _transferApprovals[_approvalKey(from, to, value)];
        }

        uint256 holders = (state >> 80) & _U32;
        uint256 supply = (state >> 112) & _U128;

        if (from == address(0)) {
            supply += value;
            if (supply > MAX_SUPPLY) revert SupplyCapExceeded(supply, MAX_SUPPLY);
        } else if (from != to) {
            uint256 balance = fromAcc & _U128; // >= value: checked by _restriction
            if (forcing || to == address(0)) {
                // Agent debits (burn, forced transfer) unfreeze what they need.
                uint256 frozen = (fromAcc >> 128) & _AMOUNT_MASK;
                if (balance - frozen < value) {
                    uint256 release = value - (balance - frozen);
                    fromAcc = _withFrozenAmount(fromAcc, frozen - release);
                    emit TokensUnfrozen(from, release);
                }
            }
            unchecked {
                fromAcc -= value; // balance is the low field and >= value
                if (value != 0 && balance == value) --holders;
            }
            _accounts[from] = fromAcc;
        }

        if (to == address(0)) {
            unchecked {
                supply -= value; // value <= balance <= supply
            }
        } else if (from != to) {
            unchecked {
                // supply <= MAX_SUPPLY < 2^127, so the balance field cannot overflow.
                if (value != 0 && toAcc & _U128 == 0) ++holders;
                toAcc += value;
            }
            _accounts[to] = toAcc;
        }

        uint256 newState = (state & ~((_U32 << 80) | (_U128 << 112))) | (holders << 80) | (supply << 112);
        if (newState != state) _state = newState;

        emit Transfer(from, to, value);
    }

    /// @dev Restriction code for moving `value` from `from` to `to` given the
    /// token state and both packed accounts; `forcing` selects the forced-transfer
    /// rules. See the contract comment for which checks apply to which operation.
    function _restriction(
        uint256 state,
        address from,
        uint256 fromAcc,
        address to,
        uint256 toAcc,
        uint256 value,
        bool forcing
    ) internal view returns (uint8) {
        uint256 fromBalance = fromAcc & _U128;
        if (to == address(0)) {
            // Burn (or the null operation): only the total balance matters.
            return (from == address(0) || fromBalance >= value) ? ReasonCodes.OK : ReasonCodes.INSUFFICIENT_BALANCE;
        }
        bool regular = from != address(0) && !forcing;
        if (regular) {
            if (state & 1 == 1) return ReasonCodes.TOKEN_PAUSED;
            if ((fromAcc | toAcc) & _FROZEN_BIT != 0) return ReasonCodes.ACCOUNT_FROZEN;
            if (fromBalance < value || fromBalance - value < ((fromAcc >> 128) & _AMOUNT_MASK)) {
                return ReasonCodes.INSUFFICIENT_BALANCE;
            }
        } else if (from == address(0)) {
            // supply + value > supplyCap, written so no value can overflow it.
            uint256 supplyCap_ = _supplyCap;
            if (value > supplyCap_ || ((state >> 112) & _U128) > supplyCap_ - value) {
                return ReasonCodes.SUPPLY_CAP_EXCEEDED;
            }
            if (toAcc & _FROZEN_BIT != 0) return ReasonCodes.ACCOUNT_FROZEN;
        } else if (fromBalance < value) {
            return ReasonCodes.INSUFFICIENT_BALANCE;
        }

        uint8 code = registry.checkReceiver(to);
        if (code != ReasonCodes.OK) return code;

        uint256 cap = (state >> 48) & _U32;
        if (cap != 0 && value != 0 && from != to && toAcc & _U128 == 0 && ((state >> 80) & _U32) >= cap) {
            // A new holder joins a full register: allowed only if the sender leaves.
            if (from == address(0) || fromBalance != value) return ReasonCodes.MAX_HOLDERS_REACHED;
        }

        if (regular && block.timestamp < ((state >> 8) & _U40)) return ReasonCodes.LOCKUP_ACTIVE;
        if (regular && state & _APPROVAL_BIT != 0 && _transferApprovals[_approvalKey(from, to, value)] < block.timestamp) {
            return ReasonCodes.TRANSFER_NOT_APPROVED;
        }
        return ReasonCodes.OK;
    }

    function _approvalKey(address from, address to, uint256 amount) private pure returns (bytes32) {
        return keccak256(abi.encode(from, to, amount));
    }

    function _withFrozenAmount(uint256 acc, uint256 frozen) private pure returns (uint256) {
        return (acc & ~(_AMOUNT_MASK << 128)) | (frozen << 128);
    }
}
