// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// SecurityTokenMetaData contains all meta data concerning the SecurityToken contract.
var SecurityTokenMetaData = bind.MetaData{
	ABI: "[{\"type\":\"constructor\",\"inputs\":[{\"name\":\"name_\",\"type\":\"string\",\"internalType\":\"string\"},{\"name\":\"symbol_\",\"type\":\"string\",\"internalType\":\"string\"},{\"name\":\"decimals_\",\"type\":\"uint8\",\"internalType\":\"uint8\"},{\"name\":\"registry_\",\"type\":\"address\",\"internalType\":\"contractIEligibilityRegistry\"},{\"name\":\"admin\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"agent\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"maxHolders_\",\"type\":\"uint32\",\"internalType\":\"uint32\"},{\"name\":\"lockupEnd_\",\"type\":\"uint40\",\"internalType\":\"uint40\"},{\"name\":\"supplyCap_\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"AGENT_ROLE\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"DEFAULT_ADMIN_ROLE\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"MAX_SUPPLY\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"allowance\",\"inputs\":[{\"name\":\"owner\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"spender\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"approve\",\"inputs\":[{\"name\":\"spender\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"value\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"approveTransfer\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"expiry\",\"type\":\"uint40\",\"internalType\":\"uint40\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"balanceOf\",\"inputs\":[{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"batchMint\",\"inputs\":[{\"name\":\"wallets\",\"type\":\"address[]\",\"internalType\":\"address[]\"},{\"name\":\"amounts\",\"type\":\"uint256[]\",\"internalType\":\"uint256[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"burn\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"canTransfer\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"decimals\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint8\",\"internalType\":\"uint8\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"detectTransferRestriction\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"value\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint8\",\"internalType\":\"uint8\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"forcedTransfer\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"freeBalanceOf\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"freezePartialTokens\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"getFrozenTokens\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"getRoleAdmin\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"grantRole\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"hasRole\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"holderCount\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint32\",\"internalType\":\"uint32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"isFrozen\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"lockupEnd\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint40\",\"internalType\":\"uint40\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"maxHolders\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint32\",\"internalType\":\"uint32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"messageForTransferRestriction\",\"inputs\":[{\"name\":\"restrictionCode\",\"type\":\"uint8\",\"internalType\":\"uint8\"}],\"outputs\":[{\"name\":\"\",\"type\":\"string\",\"internalType\":\"string\"}],\"stateMutability\":\"pure\"},{\"type\":\"function\",\"name\":\"mint\",\"inputs\":[{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"name\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"string\",\"internalType\":\"string\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"pause\",\"inputs\":[],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"paused\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"recoveryAddress\",\"inputs\":[{\"name\":\"lostWallet\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"newWallet\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"registry\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"address\",\"internalType\":\"contractIEligibilityRegistry\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"renounceRole\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"callerConfirmation\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"revokeRole\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setAddressFrozen\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"freeze\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setLockupEnd\",\"inputs\":[{\"name\":\"lockupEnd_\",\"type\":\"uint40\",\"internalType\":\"uint40\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setMaxHolders\",\"inputs\":[{\"name\":\"maxHolders_\",\"type\":\"uint32\",\"internalType\":\"uint32\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setSupplyCap\",\"inputs\":[{\"name\":\"supplyCap_\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setTransferApprovalRequired\",\"inputs\":[{\"name\":\"required\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"supplyCap\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"supportsInterface\",\"inputs\":[{\"name\":\"interfaceId\",\"type\":\"bytes4\",\"internalType\":\"bytes4\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"symbol\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"string\",\"internalType\":\"string\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"totalSupply\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"transfer\",\"inputs\":[{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"value\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"transferApproval\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint40\",\"internalType\":\"uint40\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"transferApprovalRequired\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"transferFrom\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"value\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"unfreezePartialTokens\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"unpause\",\"inputs\":[],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"event\",\"name\":\"AddressFrozen\",\"inputs\":[{\"name\":\"userAddress\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"isFrozen\",\"type\":\"bool\",\"indexed\":true,\"internalType\":\"bool\"},{\"name\":\"owner\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Approval\",\"inputs\":[{\"name\":\"owner\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"spender\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"value\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"ForcedTransfer\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"agent\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"LockupEndSet\",\"inputs\":[{\"name\":\"lockupEnd\",\"type\":\"uint40\",\"indexed\":false,\"internalType\":\"uint40\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"MaxHoldersSet\",\"inputs\":[{\"name\":\"maxHolders\",\"type\":\"uint32\",\"indexed\":false,\"internalType\":\"uint32\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Paused\",\"inputs\":[{\"name\":\"userAddress\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"RecoverySuccess\",\"inputs\":[{\"name\":\"lostWallet\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"newWallet\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"agent\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"RoleAdminChanged\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"previousAdminRole\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"newAdminRole\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"RoleGranted\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"account\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"sender\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"RoleRevoked\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"account\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"sender\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"SupplyCapSet\",\"inputs\":[{\"name\":\"supplyCap\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"TokensFrozen\",\"inputs\":[{\"name\":\"userAddress\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"TokensUnfrozen\",\"inputs\":[{\"name\":\"userAddress\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Transfer\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"value\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"TransferApprovalRequiredSet\",\"inputs\":[{\"name\":\"required\",\"type\":\"bool\",\"indexed\":false,\"internalType\":\"bool\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"TransferApproved\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"expiry\",\"type\":\"uint40\",\"indexed\":false,\"internalType\":\"uint40\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Unpaused\",\"inputs\":[{\"name\":\"userAddress\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"error\",\"name\":\"AccessControlBadConfirmation\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"AccessControlUnauthorizedAccount\",\"inputs\":[{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"neededRole\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"BatchLengthMismatch\",\"inputs\":[{\"name\":\"wallets\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"amounts\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"ERC20InsufficientAllowance\",\"inputs\":[{\"name\":\"spender\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"allowance\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"needed\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"ERC20InsufficientBalance\",\"inputs\":[{\"name\":\"sender\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"balance\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"needed\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"ERC20InvalidApprover\",\"inputs\":[{\"name\":\"approver\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"ERC20InvalidReceiver\",\"inputs\":[{\"name\":\"receiver\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"ERC20InvalidSender\",\"inputs\":[{\"name\":\"sender\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"ERC20InvalidSpender\",\"inputs\":[{\"name\":\"spender\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"FreezeExceedsFreeBalance\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"free\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"InvalidRecovery\",\"inputs\":[{\"name\":\"lostWallet\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"newWallet\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"SupplyCapExceeded\",\"inputs\":[{\"name\":\"supply\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"max\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"TransferRestricted\",\"inputs\":[{\"name\":\"code\",\"type\":\"uint8\",\"internalType\":\"uint8\"}]},{\"type\":\"error\",\"name\":\"UnfreezeExceedsFrozen\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"frozen\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]}]",
	ID:  "SecurityToken",
	Bin: "0x60c060405234801561000f575f5ffd5b506040516130fc3803806130fc83398101604081905261002e9161030d565b8888600361003c8382610477565b5060046100498282610477565b5050506001600160a01b03861660805260ff871660a05265ffffffffff00600883901b1669ffffffff000000000000603085901b161760065561008c5f86610181565b506001600160a01b038416156100c8576100c67fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb427695096770985610181565b505b60405163ffffffff841681527f3c3bc67ea73dfef3ab202be59b389630aba3ad3b20a4c4b01fb8d6ab754c4f449060200160405180910390a160405164ffffffffff831681527f3f8ca51f76dab7af30e7fdcc11648b2a698f9dca859c01d5a4de9db8bac76d319060200160405180910390a160088190556040518181527fbc585eed6f54aa16ec292be93276937803d5a047ba4eded0c87779270bbfdfe69060200160405180910390a1505050505050505050610535565b5f8281526005602090815260408083206001600160a01b038516845290915281205460ff16610225575f8381526005602090815260408083206001600160a01b03861684529091529020805460ff191660011790556101dd3390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a4506001610228565b505f5b92915050565b634e487b7160e01b5f52604160045260245ffd5b5f82601f830112610251575f5ffd5b81516001600160401b0381111561026a5761026a61022e565b604051601f8201601f19908116603f011681016001600160401b03811182821017156102985761029861022e565b6040528181528382016020018510156102af575f5ffd5b8160208501602083015e5f918101602001919091529392505050565b80516001600160a01b03811681146102e1575f5ffd5b919050565b805163ffffffff811681146102e1575f5ffd5b805164ffffffffff811681146102e1575f5ffd5b5f5f5f5f5f5f5f5f5f6101208a8c031215610326575f5ffd5b89516001600160401b0381111561033b575f5ffd5b6103478c828d01610242565b60208c0151909a5090506001600160401b03811115610364575f5ffd5b6103708c828d01610242565b98505060408a015160ff81168114610386575f5ffd5b965061039460608b016102cb565b95506103a260808b016102cb565b94506103b060a08b016102cb565b93506103be60c08b016102e6565b92506103cc60e08b016102f9565b91505f6101008b01519050809150509295985092959850929598565b600181811c908216806103fc57607f821691505b60208210810361041a57634e487b7160e01b5f52602260045260245ffd5b50919050565b601f821115610472578282111561047257805f5260205f20601f840160051c602085101561044b57505f5b90810190601f840160051c035f5b8181101561046e575f83820155600101610459565b5050505b505050565b81516001600160401b038111156104905761049061022e565b6104a48161049e84546103e8565b84610420565b6020601f8211600181146104d6575f83156104bf5750848201515b5f19600385901b1c1916600184901b17845561052e565b5f84815260208120601f198516915b8281101561050557878501518255602094850194600190920191016104e5565b508482101561052257868401515f19600387901b60f8161c191681555b505060018360011b0184555b5050505050565b60805160a051612b9f61055d5f395f6104ae01525f818161065b0152611e8e0152612b9f5ff3fe608060405234801561000f575f5ffd5b5060043610610303575f3560e01c806354464c411161019d5780639dc29fac116100e8578063c69c09cf11610093578063dd62ed3e1161006e578063dd62ed3e1461079a578063e46638e6146107d2578063e5839836146107e5575f5ffd5b8063c69c09cf14610761578063d4ce141514610774578063d547741f14610787575f5ffd5b8063a9059cbb116100c3578063a9059cbb14610730578063ad46798014610743578063b6a3f59a1461074e575f5ffd5b80639dc29fac146107035780639fc1d0e714610716578063a217fddf14610729575f5ffd5b80637f4ab1dd116101485780638f770ad0116101235780638f770ad0146106bb57806391d14854146106c357806395d89b41146106fb575f5ffd5b80637f4ab1dd146106955780638456cb59146106a85780638bf5c4ee146106b0575f5ffd5b80636f3b993f116101785780636f3b993f146105f157806370a082311461061c5780637b10399914610656575f5ffd5b806354464c41146105bd5780635c975abb146105d057806368573107146105de575f5ffd5b806322459e181161025d57806336568abe1161020857806340c10f19116101e357806340c10f19146105845780634403797514610597578063543e9954146105aa575f5ffd5b806336568abe146104f757806339c7c1801461050a5780633f4ba83a1461057c575f5ffd5b80632f2ff15d116102385780632f2ff15d14610499578063313ce567146104ac57806332cb6b0c146104e0575f5ffd5b806322459e181461043d57806323b872dd14610464578063248a9ca314610477575f5ffd5b8063158b1a57116102bd5780631935a880116102985780631935a880146103fb5780631aab9a9f1461040e5780631fe56f7d1461042a575f5ffd5b8063158b1a571461037f57806316d9baec146103ca57806318160ddd146103dd575f5ffd5b806306fdde03116102ed57806306fdde0314610344578063095ea7b314610359578063125c4a331461036c575f5ffd5b80620f8dd91461030757806301ffc9a71461031c575b5f5ffd5b61031a6103153660046125f4565b610831565b005b61032f61032a366004612617565b6108b3565b60405190151581526020015b60405180910390f35b61034c61094b565b60405161033b9190612656565b61032f6103673660046126c4565b6109db565b61031a61037a3660046126c4565b6109f2565b6103bc61038d3660046126ec565b6001600160a01b03165f9081526007602052604090205460801c6f7fffffffffffffffffffffffffffffff1690565b60405190815260200161033b565b61032f6103d8366004612705565b610b5b565b6103bc60065460701c6fffffffffffffffffffffffffffffffff1690565b61031a610409366004612745565b610da7565b60065460501c5b60405163ffffffff909116815260200161033b565b61031a6104383660046126c4565b610e39565b6103bc7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb427695096770981565b61032f61047236600461275e565b610f50565b6103bc610485366004612798565b5f9081526005602052604090206001015490565b61031a6104a73660046127af565b610f73565b7f00000000000000000000000000000000000000000000000000000000000000005b60405160ff909116815260200161033b565b6103bc6f7fffffffffffffffffffffffffffffff81565b61031a6105053660046127af565b610f9d565b61056661051836600461275e565b604080516001600160a01b03948516602080830191909152939094168482015260608085019290925280518085039092018252608090930183528051908201205f9081526009909152205490565b60405164ffffffffff909116815260200161033b565b61031a610fee565b61031a6105923660046126c4565b611059565b61031a6105a53660046127e4565b61108d565b6103bc6105b83660046126ec565b611104565b61031a6105cb3660046127fd565b611155565b60065460019081161461032f565b61031a6105ec36600461288f565b61121c565b6006547e0100000000000000000000000000000000000000000000000000000000000016151561032f565b6103bc61062a3660046126ec565b6001600160a01b03165f908152600760205260409020546fffffffffffffffffffffffffffffffff1690565b61067d7f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b03909116815260200161033b565b61034c6106a3366004612909565b6112eb565b61031a6112f6565b60065460301c610415565b6008546103bc565b61032f6106d13660046127af565b5f9182526005602090815260408084206001600160a01b0393909316845291905290205460ff1690565b61034c611359565b61031a6107113660046126c4565b611368565b61032f61072436600461275e565b61139c565b6103bc5f81565b61032f61073e3660046126c4565b61144c565b60065460081c610566565b61031a61075c366004612798565b611459565b61031a61076f366004612924565b611498565b6104ce61078236600461275e565b61157a565b61031a6107953660046127af565b6115bb565b6103bc6107a8366004612705565b6001600160a01b039182165f90815260016020908152604080832093909416825291909152205490565b61032f6107e036600461275e565b6115df565b61032f6107f33660046126ec565b6001600160a01b03165f908152600760205260409020547f800000000000000000000000000000000000000000000000000000000000000016151590565b5f61083b816115f8565b600680547fffffffffffffffffffffffffffffffffffffffffffff00000000ffffffffffff1669ffffffff000000000000603085901b1617905560405163ffffffff831681527f3c3bc67ea73dfef3ab202be59b389630aba3ad3b20a4c4b01fb8d6ab754c4f44906020015b60405180910390a15050565b5f7fffffffff0000000000000000000000000000000000000000000000000000000082167f7965db0b00000000000000000000000000000000000000000000000000000000148061094557507f01ffc9a7000000000000000000000000000000000000000000000000000000007fffffffff000000000000000000000000000000000000000000000000000000008316145b92915050565b60606003805461095a9061294c565b80601f01602080910402602001604051908101604052809291908181526020018280546109869061294c565b80156109d15780601f106109a8576101008083540402835291602001916109d1565b820191905f5260205f20905b8154815290600101906020018083116109b457829003601f168201915b5050505050905090565b5f336109e8818585611605565b5060019392505050565b7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb4276950967709610a1c816115f8565b6001600160a01b0383165f9081526007602052604081205490608082901c6f7fffffffffffffffffffffffffffffff1690610a69826fffffffffffffffffffffffffffffffff85166129ca565b905080851115610ac3576040517f44e192580000000000000000000000000000000000000000000000000000000081526001600160a01b038716600482015260248101829052604481018690526064015b60405180910390fd5b610afd83610ad187856129dd565b60801b7f80000000000000000000000000000000ffffffffffffffffffffffffffffffff919091161790565b6001600160a01b0387165f81815260076020526040908190209290925590517fa065e63c631c86f1b9f66a4a2f63f2093bf1c2168d23290259dbd969e0222a4590610b4b9088815260200190565b60405180910390a2505050505050565b5f7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb4276950967709610b86816115f8565b6001600160a01b0383161580610bad5750836001600160a01b0316836001600160a01b0316145b15610bf7576040517fbffba2aa0000000000000000000000000000000000000000000000000000000081526001600160a01b03808616600483015284166024820152604401610aba565b6001600160a01b0384165f9081526007602052604081205490608082901c6f7fffffffffffffffffffffffffffffff169060019060ff19815c168217905d50610c5386866fffffffffffffffffffffffffffffffff8516611612565b5f60ff19815c16815d508015610cf7576001600160a01b0385165f90815260076020526040902054610c9f81610ad184608083901c6f7fffffffffffffffffffffffffffffff166129dd565b6001600160a01b0387165f81815260076020526040908190209290925590517fa065e63c631c86f1b9f66a4a2f63f2093bf1c2168d23290259dbd969e0222a4590610ced9085815260200190565b60405180910390a2505b6001600160a01b0386165f8181526007602052604080822080547f800000000000000000000000000000000000000000000000000000000000000017905551339260019290917f7fa523c84ab8d7fc5b72f08b9e46dbbf10c39e119a075b3e317002d14bc9f4369190a460405133906001600160a01b0387811691908916907ff0c9129a94f30f1caaceb63e44b9811d0a3edf1d6c23757f346093af5553fed0905f90a450600195945050505050565b5f610db1816115f8565b81610de0576006547ffffeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff16610e05565b7e01000000000000000000000000000000000000000000000000000000000000600654175b60065560405182151581527eaf40e9ac65377d2881a504c2a7c38296abd98674b2ec5afd7589fea1b2f314906020016108a7565b7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb4276950967709610e63816115f8565b6001600160a01b0383165f90815260076020526040902054608081901c6f7fffffffffffffffffffffffffffffff1680841115610ee5576040517fe0dfe97f0000000000000000000000000000000000000000000000000000000081526001600160a01b03861660048201526024810182905260448101859052606401610aba565b610ef382610ad186846129ca565b6001600160a01b0386165f81815260076020526040908190209290925590517f9bed35cb62ad0dba04f9d5bfee4b5bc91443e77da8a65c4c84834c51bb08b0d690610f419087815260200190565b60405180910390a25050505050565b5f33610f5d8582856116a1565b610f68858585611612565b506001949350505050565b5f82815260056020526040902060010154610f8d816115f8565b610f97838361174f565b50505050565b6001600160a01b0381163314610fdf576040517f6697b23200000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b610fe982826117fa565b505050565b7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb4276950967709611018816115f8565b6006805460ff191690556040513381527f5db9ee0a495bf2e6ff9c91a7834c1ba4fdd244a5e8aa4e537bd38aeae4b073aa906020015b60405180910390a150565b7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb4276950967709611083816115f8565b610fe9838361187f565b5f611097816115f8565b600680547fffffffffffffffffffffffffffffffffffffffffffffffffffff0000000000ff1665ffffffffff00600885901b1617905560405164ffffffffff831681527f3f8ca51f76dab7af30e7fdcc11648b2a698f9dca859c01d5a4de9db8bac76d31906020016108a7565b6001600160a01b0381165f9081526007602052604081205461114e608082901c6f7fffffffffffffffffffffffffffffff166fffffffffffffffffffffffffffffffff83166129ca565b9392505050565b7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb427695096770961117f816115f8565b604080516001600160a01b038781166020808401829052918816838501819052606080850189905285518086039091018152608085018087528151918501919091205f90815260099094529490922064ffffffffff8716908190559387905260a083019390935291907fd85bad8b1f1d7cf6ffb1be11cc9c648ae50ed7d6d174078f97951f04d4c8b7749060c00160405180910390a35050505050565b7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb4276950967709611246816115f8565b838214611289576040517f81b5b2070000000000000000000000000000000000000000000000000000000081526004810185905260248101839052604401610aba565b5f5b848110156112e3576112db8686838181106112a8576112a86129f0565b90506020020160208101906112bd91906126ec565b8585848181106112cf576112cf6129f0565b9050602002013561187f565b60010161128b565b505050505050565b6060610945826118d0565b7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb4276950967709611320816115f8565b6006805460011790556040513381527f62e78cea01bee320cd4e420270b5ea74000d11b0c9f74754ebdbfc544b05a2589060200161104e565b60606004805461095a9061294c565b7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb4276950967709611392816115f8565b610fe98383611c74565b5f7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb42769509677096113c7816115f8565b60015f805c60ff19168217905d506113e0858585611612565b5f60ff19815c16815d50336001600160a01b0316846001600160a01b0316866001600160a01b03167f31a05a6a55253f32ca1a2eae200ad7ddf38d17e9f6e0535e9a85ab4a218aeaa38660405161143991815260200190565b60405180910390a4506001949350505050565b5f336109e8818585611612565b5f611463816115f8565b60088290556040518281527fbc585eed6f54aa16ec292be93276937803d5a047ba4eded0c87779270bbfdfe6906020016108a7565b7fcab5a0bfe0b79d2c4b1c2e02599fa044d115b7511f9659307cb42769509677096114c2816115f8565b6001600160a01b0383165f9081526007602052604090205482611507577f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff811661152b565b7f800000000000000000000000000000000000000000000000000000000000000081175b6001600160a01b0385165f81815260076020526040808220939093559151339286151592917f7fa523c84ab8d7fc5b72f08b9e46dbbf10c39e119a075b3e317002d14bc9f4369190a450505050565b6006546001600160a01b038085165f9081526007602052604080822054928616825281205490926115b392909187919087908787611cc1565b949350505050565b5f828152600560205260409020600101546115d5816115f8565b610f9783836117fa565b5f806115ec85858561157a565b60ff1614949350505050565b6116028133612075565b50565b610fe983838360016120e2565b6001600160a01b038316611654576040517f96c6fd1e0000000000000000000000000000000000000000000000000000000081525f6004820152602401610aba565b6001600160a01b038216611696576040517fec442f050000000000000000000000000000000000000000000000000000000081525f6004820152602401610aba565b610fe98383836121e6565b6001600160a01b038381165f908152600160209081526040808320938616835292905220547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff811015610f975781811015611741576040517ffb8f41b20000000000000000000000000000000000000000000000000000000081526001600160a01b03841660048201526024810182905260448101839052606401610aba565b610f9784848484035f6120e2565b5f8281526005602090815260408083206001600160a01b038516845290915281205460ff166117f3575f8381526005602090815260408083206001600160a01b03861684529091529020805460ff191660011790556117ab3390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a4506001610945565b505f610945565b5f8281526005602090815260408083206001600160a01b038516845290915281205460ff16156117f3575f8381526005602090815260408083206001600160a01b0386168085529252808320805460ff1916905551339286917ff6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b9190a4506001610945565b6001600160a01b0382166118c1576040517fec442f050000000000000000000000000000000000000000000000000000000081525f6004820152602401610aba565b6118cc5f83836121e6565b5050565b606060ff821661191357505060408051808201909152601081527f7472616e7366657220616c6c6f77656400000000000000000000000000000000602082015290565b7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff560ff83160161197657505060408051808201909152601381527f74686520746f6b656e2069732070617573656400000000000000000000000000602082015290565b7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff460ff8316016119d95750506040805180820190915260208082527f746865206c6f636b2d757020706572696f6420686173206e6f7420656e6465649082015290565b7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff360ff831601611a2257604051806060016040528060378152602001612b686037913992915050565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe160ff831601611a6b576040518060600160405280602e8152602001612b3a602e913992915050565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe060ff831601611ab457604051806060016040528060228152602001612a916022913992915050565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdb60ff831601611b1757505060408051808201909152601f81527f746865206163636f756e74206f722077616c6c65742069732066726f7a656e00602082015290565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd560ff831601611b60576040518060600160405280602f8152602001612a39602f913992915050565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffce60ff831601611ba957604051806060016040528060368152602001612ab36036913992915050565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffcb60ff831601611bf257604051806060016040528060298152602001612a686029913992915050565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffba60ff831601611c3b57604051806080016040528060518152602001612ae96051913992915050565b505060408051808201909152601881527f756e6b6e6f776e207265737472696374696f6e20636f64650000000000000000602082015290565b6001600160a01b038216611cb6576040517f96c6fd1e0000000000000000000000000000000000000000000000000000000081525f6004820152602401610aba565b6118cc825f836121e6565b5f6fffffffffffffffffffffffffffffffff86166001600160a01b038616611d0e576001600160a01b0388161580611cf95750838110155b611d04576035611d06565b5f5b91505061206a565b5f6001600160a01b03891615801590611d25575083155b90508015611db95789600116600103611d4357600b9250505061206a565b8786177f80000000000000000000000000000000000000000000000000000000000000001615611d785760259250505061206a565b84821080611da45750608088901c6f7fffffffffffffffffffffffffffffff16611da286846129ca565b105b15611db45760359250505061206a565b611e54565b6001600160a01b038916611e415760085480861180611df65750611ddd86826129ca565b60708c901c6fffffffffffffffffffffffffffffffff16115b15611e0757600d935050505061206a565b7f8000000000000000000000000000000000000000000000000000000000000000871615611e3b576025935050505061206a565b50611e54565b84821015611e545760359250505061206a565b6040517f3dd008610000000000000000000000000000000000000000000000000000000081526001600160a01b0388811660048301525f917f000000000000000000000000000000000000000000000000000000000000000090911690633dd0086190602401602060405180830381865afa158015611ed5573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190611ef99190612a1d565b905060ff811615611f0e57925061206a915050565b60308b901c63ffffffff168015801590611f2757508615155b8015611f455750886001600160a01b03168b6001600160a01b031614155b8015611f6157506fffffffffffffffffffffffffffffffff8816155b8015611f7757508063ffffffff60508e901c1610155b15611fa4576001600160a01b038b161580611f925750868414155b15611fa457603294505050505061206a565b828015611fbb575064ffffffffff60088d901c1642105b15611fcd57600c94505050505061206a565b828015611ffa57507e010000000000000000000000000000000000000000000000000000000000008c1615155b80156120505750604080516001600160a01b038d8116602080840191909152908c168284015260608083018b905283518084039091018152608090920183528151918101919091205f9081526009909152205442115b1561206257604694505050505061206a565b5f9450505050505b979650505050505050565b5f8281526005602090815260408083206001600160a01b038516845290915290205460ff166118cc576040517fe2517d3f0000000000000000000000000000000000000000000000000000000081526001600160a01b038216600482015260248101839052604401610aba565b6001600160a01b038416612124576040517fe602df050000000000000000000000000000000000000000000000000000000081525f6004820152602401610aba565b6001600160a01b038316612166576040517f94280d620000000000000000000000000000000000000000000000000000000081525f6004820152602401610aba565b6001600160a01b038085165f9081526001602090815260408083209387168352929052208290558015610f9757826001600160a01b0316846001600160a01b03167f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925846040516121d891815260200190565b60405180910390a350505050565b6006546001600160a01b038085165f908152600760205260408082205492861682528120549060ff815c16906122218589868a878b88611cc1565b905060ff811615612263576040517fe18ca2b900000000000000000000000000000000000000000000000000000000815260ff82166004820152602401610aba565b7e0100000000000000000000000000000000000000000000000000000000000085161580159061229b57506001600160a01b03881615155b80156122af57506001600160a01b03871615155b80156122b9575081155b1561230d57604080516001600160a01b038a8116602080840191909152908a168284015260608083018a905283518084039091018152608090920183528151918101919091205f9081526009909152908120555b605085901c63ffffffff16607086901c6fffffffffffffffffffffffffffffffff166001600160a01b038a166123b15761234788826129dd565b90506f7fffffffffffffffffffffffffffffff8111156123ac576040517f4b344b11000000000000000000000000000000000000000000000000000000008152600481018290526f7fffffffffffffffffffffffffffffff6024820152604401610aba565b6124e5565b886001600160a01b03168a6001600160a01b0316146124e5576fffffffffffffffffffffffffffffffff861684806123f057506001600160a01b038a16155b1561248b57608087901c6f7fffffffffffffffffffffffffffffff168961241782846129ca565b1015612489575f61242882846129ca565b612432908c6129ca565b905061244289610ad183856129ca565b98508c6001600160a01b03167f9bed35cb62ad0dba04f9d5bfee4b5bc91443e77da8a65c4c84834c51bb08b0d68260405161247f91815260200190565b60405180910390a2505b505b9588900395881580159061249e57508881145b156124c9577fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff909201915b506001600160a01b038a165f9081526007602052604090208690555b6001600160a01b0389166124fb5787900361255e565b886001600160a01b03168a6001600160a01b03161461255e57871580159061253357506fffffffffffffffffffffffffffffffff8516155b1561253f578160010191505b6001600160a01b0389165f908152600760205260409020948801948590555b7fffff0000000000000000000000000000000000000000ffffffffffffffffffff8716605083901b17607082901b1780881461259a5760068190555b896001600160a01b03168b6001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8b6040516125df91815260200190565b60405180910390a35050505050505050505050565b5f60208284031215612604575f5ffd5b813563ffffffff8116811461114e575f5ffd5b5f60208284031215612627575f5ffd5b81357fffffffff000000000000000000000000000000000000000000000000000000008116811461114e575f5ffd5b602081525f82518060208401528060208501604085015e5f6040828501015260407fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011684010191505092915050565b80356001600160a01b03811681146126bf575f5ffd5b919050565b5f5f604083850312156126d5575f5ffd5b6126de836126a9565b946020939093013593505050565b5f602082840312156126fc575f5ffd5b61114e826126a9565b5f5f60408385031215612716575f5ffd5b61271f836126a9565b915061272d602084016126a9565b90509250929050565b803580151581146126bf575f5ffd5b5f60208284031215612755575f5ffd5b61114e82612736565b5f5f5f60608486031215612770575f5ffd5b612779846126a9565b9250612787602085016126a9565b929592945050506040919091013590565b5f602082840312156127a8575f5ffd5b5035919050565b5f5f604083850312156127c0575f5ffd5b8235915061272d602084016126a9565b803564ffffffffff811681146126bf575f5ffd5b5f602082840312156127f4575f5ffd5b61114e826127d0565b5f5f5f5f60808587031215612810575f5ffd5b612819856126a9565b9350612827602086016126a9565b92506040850135915061283c606086016127d0565b905092959194509250565b5f5f83601f840112612857575f5ffd5b50813567ffffffffffffffff81111561286e575f5ffd5b6020830191508360208260051b8501011115612888575f5ffd5b9250929050565b5f5f5f5f604085870312156128a2575f5ffd5b843567ffffffffffffffff8111156128b8575f5ffd5b6128c487828801612847565b909550935050602085013567ffffffffffffffff8111156128e3575f5ffd5b6128ef87828801612847565b95989497509550505050565b60ff81168114611602575f5ffd5b5f60208284031215612919575f5ffd5b813561114e816128fb565b5f5f60408385031215612935575f5ffd5b61293e836126a9565b915061272d60208401612736565b600181811c9082168061296057607f821691505b602082108103612997577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b50919050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b818103818111156109455761094561299d565b808201808211156109455761094561299d565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b5f60208284031215612a2d575f5ffd5b815161114e816128fb56fe74686520696e766573746f722773207265736964656e636520636f756e747279206973206e6f7420616c6c6f7765647468652073656e646572277320667265652062616c616e636520697320696e73756666696369656e747468652077686974656c69737420617070726f76616c2068617320657870697265647468652069737375616e636520686173207265616368656420697473206d6178696d756d206e756d626572206f6620686f6c646572737468652069737375616e636520726571756972657320616e20617070726f766564207472616e73666572206170706c69636174696f6e20616e642074686973207472616e7366657220686173206e6f6e6574686520696e766573746f72206973206e6f7420617070726f76656420666f7220746869732069737375616e6365746865206d696e7420776f756c642074616b652074686520737570706c792061626f7665207468652069737375616e6365277320636170",
}

// SecurityToken is an auto generated Go binding around an Ethereum contract.
type SecurityToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *SecurityToken) GetABI() abi.ABI {
	return c.abi
}

// NewSecurityToken creates a new instance of SecurityToken.
func NewSecurityToken() *SecurityToken {
	parsed, err := SecurityTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &SecurityToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *SecurityToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string name_, string symbol_, uint8 decimals_, address registry_, address admin, address agent, uint32 maxHolders_, uint40 lockupEnd_, uint256 supplyCap_) returns()
func (securityToken *SecurityToken) PackConstructor(name_ string, symbol_ string, decimals_ uint8, registry_ common.Address, admin common.Address, agent common.Address, maxHolders_ uint32, lockupEnd_ *big.Int, supplyCap_ *big.Int) []byte {
	enc, err := securityToken.abi.Pack("", name_, symbol_, decimals_, registry_, admin, agent, maxHolders_, lockupEnd_, supplyCap_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAGENTROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x22459e18.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function AGENT_ROLE() view returns(bytes32)
func (securityToken *SecurityToken) PackAGENTROLE() []byte {
	enc, err := securityToken.abi.Pack("AGENT_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAGENTROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x22459e18.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function AGENT_ROLE() view returns(bytes32)
func (securityToken *SecurityToken) TryPackAGENTROLE() ([]byte, error) {
	return securityToken.abi.Pack("AGENT_ROLE")
}

// UnpackAGENTROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x22459e18.
//
// Solidity: function AGENT_ROLE() view returns(bytes32)
func (securityToken *SecurityToken) UnpackAGENTROLE(data []byte) ([32]byte, error) {
	out, err := securityToken.abi.Unpack("AGENT_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDEFAULTADMINROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa217fddf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (securityToken *SecurityToken) PackDEFAULTADMINROLE() []byte {
	enc, err := securityToken.abi.Pack("DEFAULT_ADMIN_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDEFAULTADMINROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa217fddf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (securityToken *SecurityToken) TryPackDEFAULTADMINROLE() ([]byte, error) {
	return securityToken.abi.Pack("DEFAULT_ADMIN_ROLE")
}

// UnpackDEFAULTADMINROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa217fddf.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (securityToken *SecurityToken) UnpackDEFAULTADMINROLE(data []byte) ([32]byte, error) {
	out, err := securityToken.abi.Unpack("DEFAULT_ADMIN_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackMAXSUPPLY is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x32cb6b0c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_SUPPLY() view returns(uint256)
func (securityToken *SecurityToken) PackMAXSUPPLY() []byte {
	enc, err := securityToken.abi.Pack("MAX_SUPPLY")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXSUPPLY is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x32cb6b0c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_SUPPLY() view returns(uint256)
func (securityToken *SecurityToken) TryPackMAXSUPPLY() ([]byte, error) {
	return securityToken.abi.Pack("MAX_SUPPLY")
}

// UnpackMAXSUPPLY is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x32cb6b0c.
//
// Solidity: function MAX_SUPPLY() view returns(uint256)
func (securityToken *SecurityToken) UnpackMAXSUPPLY(data []byte) (*big.Int, error) {
	out, err := securityToken.abi.Unpack("MAX_SUPPLY", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address owner, address spender) view returns(uint256)
func (securityToken *SecurityToken) PackAllowance(owner common.Address, spender common.Address) []byte {
	enc, err := securityToken.abi.Pack("allowance", owner, spender)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address owner, address spender) view returns(uint256)
func (securityToken *SecurityToken) TryPackAllowance(owner common.Address, spender common.Address) ([]byte, error) {
	return securityToken.abi.Pack("allowance", owner, spender)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address owner, address spender) view returns(uint256)
func (securityToken *SecurityToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := securityToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (securityToken *SecurityToken) PackApprove(spender common.Address, value *big.Int) []byte {
	enc, err := securityToken.abi.Pack("approve", spender, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (securityToken *SecurityToken) TryPackApprove(spender common.Address, value *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("approve", spender, value)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (securityToken *SecurityToken) UnpackApprove(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackApproveTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x54464c41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approveTransfer(address from, address to, uint256 amount, uint40 expiry) returns()
func (securityToken *SecurityToken) PackApproveTransfer(from common.Address, to common.Address, amount *big.Int, expiry *big.Int) []byte {
	enc, err := securityToken.abi.Pack("approveTransfer", from, to, amount, expiry)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApproveTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x54464c41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approveTransfer(address from, address to, uint256 amount, uint40 expiry) returns()
func (securityToken *SecurityToken) TryPackApproveTransfer(from common.Address, to common.Address, amount *big.Int, expiry *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("approveTransfer", from, to, amount, expiry)
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (securityToken *SecurityToken) PackBalanceOf(account common.Address) []byte {
	enc, err := securityToken.abi.Pack("balanceOf", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (securityToken *SecurityToken) TryPackBalanceOf(account common.Address) ([]byte, error) {
	return securityToken.abi.Pack("balanceOf", account)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (securityToken *SecurityToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := securityToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBatchMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x68573107.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function batchMint(address[] wallets, uint256[] amounts) returns()
func (securityToken *SecurityToken) PackBatchMint(wallets []common.Address, amounts []*big.Int) []byte {
	enc, err := securityToken.abi.Pack("batchMint", wallets, amounts)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBatchMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x68573107.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function batchMint(address[] wallets, uint256[] amounts) returns()
func (securityToken *SecurityToken) TryPackBatchMint(wallets []common.Address, amounts []*big.Int) ([]byte, error) {
	return securityToken.abi.Pack("batchMint", wallets, amounts)
}

// PackBurn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9dc29fac.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function burn(address from, uint256 amount) returns()
func (securityToken *SecurityToken) PackBurn(from common.Address, amount *big.Int) []byte {
	enc, err := securityToken.abi.Pack("burn", from, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBurn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9dc29fac.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function burn(address from, uint256 amount) returns()
func (securityToken *SecurityToken) TryPackBurn(from common.Address, amount *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("burn", from, amount)
}

// PackCanTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe46638e6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function canTransfer(address from, address to, uint256 amount) view returns(bool)
func (securityToken *SecurityToken) PackCanTransfer(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := securityToken.abi.Pack("canTransfer", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCanTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe46638e6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function canTransfer(address from, address to, uint256 amount) view returns(bool)
func (securityToken *SecurityToken) TryPackCanTransfer(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("canTransfer", from, to, amount)
}

// UnpackCanTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe46638e6.
//
// Solidity: function canTransfer(address from, address to, uint256 amount) view returns(bool)
func (securityToken *SecurityToken) UnpackCanTransfer(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("canTransfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (securityToken *SecurityToken) PackDecimals() []byte {
	enc, err := securityToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (securityToken *SecurityToken) TryPackDecimals() ([]byte, error) {
	return securityToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (securityToken *SecurityToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := securityToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackDetectTransferRestriction is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4ce1415.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function detectTransferRestriction(address from, address to, uint256 value) view returns(uint8)
func (securityToken *SecurityToken) PackDetectTransferRestriction(from common.Address, to common.Address, value *big.Int) []byte {
	enc, err := securityToken.abi.Pack("detectTransferRestriction", from, to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDetectTransferRestriction is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4ce1415.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function detectTransferRestriction(address from, address to, uint256 value) view returns(uint8)
func (securityToken *SecurityToken) TryPackDetectTransferRestriction(from common.Address, to common.Address, value *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("detectTransferRestriction", from, to, value)
}

// UnpackDetectTransferRestriction is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd4ce1415.
//
// Solidity: function detectTransferRestriction(address from, address to, uint256 value) view returns(uint8)
func (securityToken *SecurityToken) UnpackDetectTransferRestriction(data []byte) (uint8, error) {
	out, err := securityToken.abi.Unpack("detectTransferRestriction", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackForcedTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9fc1d0e7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function forcedTransfer(address from, address to, uint256 amount) returns(bool)
func (securityToken *SecurityToken) PackForcedTransfer(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := securityToken.abi.Pack("forcedTransfer", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackForcedTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9fc1d0e7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function forcedTransfer(address from, address to, uint256 amount) returns(bool)
func (securityToken *SecurityToken) TryPackForcedTransfer(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("forcedTransfer", from, to, amount)
}

// UnpackForcedTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9fc1d0e7.
//
// Solidity: function forcedTransfer(address from, address to, uint256 amount) returns(bool)
func (securityToken *SecurityToken) UnpackForcedTransfer(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("forcedTransfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackFreeBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x543e9954.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function freeBalanceOf(address wallet) view returns(uint256)
func (securityToken *SecurityToken) PackFreeBalanceOf(wallet common.Address) []byte {
	enc, err := securityToken.abi.Pack("freeBalanceOf", wallet)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFreeBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x543e9954.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function freeBalanceOf(address wallet) view returns(uint256)
func (securityToken *SecurityToken) TryPackFreeBalanceOf(wallet common.Address) ([]byte, error) {
	return securityToken.abi.Pack("freeBalanceOf", wallet)
}

// UnpackFreeBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x543e9954.
//
// Solidity: function freeBalanceOf(address wallet) view returns(uint256)
func (securityToken *SecurityToken) UnpackFreeBalanceOf(data []byte) (*big.Int, error) {
	out, err := securityToken.abi.Unpack("freeBalanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackFreezePartialTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x125c4a33.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function freezePartialTokens(address wallet, uint256 amount) returns()
func (securityToken *SecurityToken) PackFreezePartialTokens(wallet common.Address, amount *big.Int) []byte {
	enc, err := securityToken.abi.Pack("freezePartialTokens", wallet, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFreezePartialTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x125c4a33.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function freezePartialTokens(address wallet, uint256 amount) returns()
func (securityToken *SecurityToken) TryPackFreezePartialTokens(wallet common.Address, amount *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("freezePartialTokens", wallet, amount)
}

// PackGetFrozenTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x158b1a57.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getFrozenTokens(address wallet) view returns(uint256)
func (securityToken *SecurityToken) PackGetFrozenTokens(wallet common.Address) []byte {
	enc, err := securityToken.abi.Pack("getFrozenTokens", wallet)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetFrozenTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x158b1a57.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getFrozenTokens(address wallet) view returns(uint256)
func (securityToken *SecurityToken) TryPackGetFrozenTokens(wallet common.Address) ([]byte, error) {
	return securityToken.abi.Pack("getFrozenTokens", wallet)
}

// UnpackGetFrozenTokens is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x158b1a57.
//
// Solidity: function getFrozenTokens(address wallet) view returns(uint256)
func (securityToken *SecurityToken) UnpackGetFrozenTokens(data []byte) (*big.Int, error) {
	out, err := securityToken.abi.Unpack("getFrozenTokens", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetRoleAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x248a9ca3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (securityToken *SecurityToken) PackGetRoleAdmin(role [32]byte) []byte {
	enc, err := securityToken.abi.Pack("getRoleAdmin", role)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRoleAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x248a9ca3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (securityToken *SecurityToken) TryPackGetRoleAdmin(role [32]byte) ([]byte, error) {
	return securityToken.abi.Pack("getRoleAdmin", role)
}

// UnpackGetRoleAdmin is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x248a9ca3.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (securityToken *SecurityToken) UnpackGetRoleAdmin(data []byte) ([32]byte, error) {
	out, err := securityToken.abi.Unpack("getRoleAdmin", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f2ff15d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (securityToken *SecurityToken) PackGrantRole(role [32]byte, account common.Address) []byte {
	enc, err := securityToken.abi.Pack("grantRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f2ff15d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (securityToken *SecurityToken) TryPackGrantRole(role [32]byte, account common.Address) ([]byte, error) {
	return securityToken.abi.Pack("grantRole", role, account)
}

// PackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d14854.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (securityToken *SecurityToken) PackHasRole(role [32]byte, account common.Address) []byte {
	enc, err := securityToken.abi.Pack("hasRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d14854.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (securityToken *SecurityToken) TryPackHasRole(role [32]byte, account common.Address) ([]byte, error) {
	return securityToken.abi.Pack("hasRole", role, account)
}

// UnpackHasRole is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x91d14854.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (securityToken *SecurityToken) UnpackHasRole(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("hasRole", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackHolderCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1aab9a9f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function holderCount() view returns(uint32)
func (securityToken *SecurityToken) PackHolderCount() []byte {
	enc, err := securityToken.abi.Pack("holderCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHolderCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1aab9a9f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function holderCount() view returns(uint32)
func (securityToken *SecurityToken) TryPackHolderCount() ([]byte, error) {
	return securityToken.abi.Pack("holderCount")
}

// UnpackHolderCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1aab9a9f.
//
// Solidity: function holderCount() view returns(uint32)
func (securityToken *SecurityToken) UnpackHolderCount(data []byte) (uint32, error) {
	out, err := securityToken.abi.Unpack("holderCount", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackIsFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5839836.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isFrozen(address wallet) view returns(bool)
func (securityToken *SecurityToken) PackIsFrozen(wallet common.Address) []byte {
	enc, err := securityToken.abi.Pack("isFrozen", wallet)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5839836.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isFrozen(address wallet) view returns(bool)
func (securityToken *SecurityToken) TryPackIsFrozen(wallet common.Address) ([]byte, error) {
	return securityToken.abi.Pack("isFrozen", wallet)
}

// UnpackIsFrozen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe5839836.
//
// Solidity: function isFrozen(address wallet) view returns(bool)
func (securityToken *SecurityToken) UnpackIsFrozen(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("isFrozen", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackLockupEnd is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xad467980.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lockupEnd() view returns(uint40)
func (securityToken *SecurityToken) PackLockupEnd() []byte {
	enc, err := securityToken.abi.Pack("lockupEnd")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLockupEnd is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xad467980.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lockupEnd() view returns(uint40)
func (securityToken *SecurityToken) TryPackLockupEnd() ([]byte, error) {
	return securityToken.abi.Pack("lockupEnd")
}

// UnpackLockupEnd is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xad467980.
//
// Solidity: function lockupEnd() view returns(uint40)
func (securityToken *SecurityToken) UnpackLockupEnd(data []byte) (*big.Int, error) {
	out, err := securityToken.abi.Unpack("lockupEnd", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMaxHolders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8bf5c4ee.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function maxHolders() view returns(uint32)
func (securityToken *SecurityToken) PackMaxHolders() []byte {
	enc, err := securityToken.abi.Pack("maxHolders")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMaxHolders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8bf5c4ee.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function maxHolders() view returns(uint32)
func (securityToken *SecurityToken) TryPackMaxHolders() ([]byte, error) {
	return securityToken.abi.Pack("maxHolders")
}

// UnpackMaxHolders is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8bf5c4ee.
//
// Solidity: function maxHolders() view returns(uint32)
func (securityToken *SecurityToken) UnpackMaxHolders(data []byte) (uint32, error) {
	out, err := securityToken.abi.Unpack("maxHolders", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackMessageForTransferRestriction is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7f4ab1dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function messageForTransferRestriction(uint8 restrictionCode) pure returns(string)
func (securityToken *SecurityToken) PackMessageForTransferRestriction(restrictionCode uint8) []byte {
	enc, err := securityToken.abi.Pack("messageForTransferRestriction", restrictionCode)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMessageForTransferRestriction is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7f4ab1dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function messageForTransferRestriction(uint8 restrictionCode) pure returns(string)
func (securityToken *SecurityToken) TryPackMessageForTransferRestriction(restrictionCode uint8) ([]byte, error) {
	return securityToken.abi.Pack("messageForTransferRestriction", restrictionCode)
}

// UnpackMessageForTransferRestriction is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7f4ab1dd.
//
// Solidity: function messageForTransferRestriction(uint8 restrictionCode) pure returns(string)
func (securityToken *SecurityToken) UnpackMessageForTransferRestriction(data []byte) (string, error) {
	out, err := securityToken.abi.Unpack("messageForTransferRestriction", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (securityToken *SecurityToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := securityToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (securityToken *SecurityToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (securityToken *SecurityToken) PackName() []byte {
	enc, err := securityToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (securityToken *SecurityToken) TryPackName() ([]byte, error) {
	return securityToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (securityToken *SecurityToken) UnpackName(data []byte) (string, error) {
	out, err := securityToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackPause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8456cb59.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pause() returns()
func (securityToken *SecurityToken) PackPause() []byte {
	enc, err := securityToken.abi.Pack("pause")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8456cb59.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pause() returns()
func (securityToken *SecurityToken) TryPackPause() ([]byte, error) {
	return securityToken.abi.Pack("pause")
}

// PackPaused is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c975abb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function paused() view returns(bool)
func (securityToken *SecurityToken) PackPaused() []byte {
	enc, err := securityToken.abi.Pack("paused")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPaused is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c975abb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function paused() view returns(bool)
func (securityToken *SecurityToken) TryPackPaused() ([]byte, error) {
	return securityToken.abi.Pack("paused")
}

// UnpackPaused is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c975abb.
//
// Solidity: function paused() view returns(bool)
func (securityToken *SecurityToken) UnpackPaused(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("paused", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackRecoveryAddress is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x16d9baec.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function recoveryAddress(address lostWallet, address newWallet) returns(bool)
func (securityToken *SecurityToken) PackRecoveryAddress(lostWallet common.Address, newWallet common.Address) []byte {
	enc, err := securityToken.abi.Pack("recoveryAddress", lostWallet, newWallet)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecoveryAddress is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x16d9baec.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function recoveryAddress(address lostWallet, address newWallet) returns(bool)
func (securityToken *SecurityToken) TryPackRecoveryAddress(lostWallet common.Address, newWallet common.Address) ([]byte, error) {
	return securityToken.abi.Pack("recoveryAddress", lostWallet, newWallet)
}

// UnpackRecoveryAddress is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x16d9baec.
//
// Solidity: function recoveryAddress(address lostWallet, address newWallet) returns(bool)
func (securityToken *SecurityToken) UnpackRecoveryAddress(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("recoveryAddress", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registry() view returns(address)
func (securityToken *SecurityToken) PackRegistry() []byte {
	enc, err := securityToken.abi.Pack("registry")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registry() view returns(address)
func (securityToken *SecurityToken) TryPackRegistry() ([]byte, error) {
	return securityToken.abi.Pack("registry")
}

// UnpackRegistry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (securityToken *SecurityToken) UnpackRegistry(data []byte) (common.Address, error) {
	out, err := securityToken.abi.Unpack("registry", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRenounceRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36568abe.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (securityToken *SecurityToken) PackRenounceRole(role [32]byte, callerConfirmation common.Address) []byte {
	enc, err := securityToken.abi.Pack("renounceRole", role, callerConfirmation)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRenounceRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36568abe.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (securityToken *SecurityToken) TryPackRenounceRole(role [32]byte, callerConfirmation common.Address) ([]byte, error) {
	return securityToken.abi.Pack("renounceRole", role, callerConfirmation)
}

// PackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd547741f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (securityToken *SecurityToken) PackRevokeRole(role [32]byte, account common.Address) []byte {
	enc, err := securityToken.abi.Pack("revokeRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd547741f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (securityToken *SecurityToken) TryPackRevokeRole(role [32]byte, account common.Address) ([]byte, error) {
	return securityToken.abi.Pack("revokeRole", role, account)
}

// PackSetAddressFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc69c09cf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setAddressFrozen(address wallet, bool freeze) returns()
func (securityToken *SecurityToken) PackSetAddressFrozen(wallet common.Address, freeze bool) []byte {
	enc, err := securityToken.abi.Pack("setAddressFrozen", wallet, freeze)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetAddressFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc69c09cf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setAddressFrozen(address wallet, bool freeze) returns()
func (securityToken *SecurityToken) TryPackSetAddressFrozen(wallet common.Address, freeze bool) ([]byte, error) {
	return securityToken.abi.Pack("setAddressFrozen", wallet, freeze)
}

// PackSetLockupEnd is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x44037975.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setLockupEnd(uint40 lockupEnd_) returns()
func (securityToken *SecurityToken) PackSetLockupEnd(lockupEnd *big.Int) []byte {
	enc, err := securityToken.abi.Pack("setLockupEnd", lockupEnd)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetLockupEnd is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x44037975.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setLockupEnd(uint40 lockupEnd_) returns()
func (securityToken *SecurityToken) TryPackSetLockupEnd(lockupEnd *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("setLockupEnd", lockupEnd)
}

// PackSetMaxHolders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x000f8dd9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setMaxHolders(uint32 maxHolders_) returns()
func (securityToken *SecurityToken) PackSetMaxHolders(maxHolders uint32) []byte {
	enc, err := securityToken.abi.Pack("setMaxHolders", maxHolders)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetMaxHolders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x000f8dd9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setMaxHolders(uint32 maxHolders_) returns()
func (securityToken *SecurityToken) TryPackSetMaxHolders(maxHolders uint32) ([]byte, error) {
	return securityToken.abi.Pack("setMaxHolders", maxHolders)
}

// PackSetSupplyCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6a3f59a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setSupplyCap(uint256 supplyCap_) returns()
func (securityToken *SecurityToken) PackSetSupplyCap(supplyCap *big.Int) []byte {
	enc, err := securityToken.abi.Pack("setSupplyCap", supplyCap)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetSupplyCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6a3f59a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setSupplyCap(uint256 supplyCap_) returns()
func (securityToken *SecurityToken) TryPackSetSupplyCap(supplyCap *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("setSupplyCap", supplyCap)
}

// PackSetTransferApprovalRequired is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1935a880.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setTransferApprovalRequired(bool required) returns()
func (securityToken *SecurityToken) PackSetTransferApprovalRequired(required bool) []byte {
	enc, err := securityToken.abi.Pack("setTransferApprovalRequired", required)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetTransferApprovalRequired is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1935a880.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setTransferApprovalRequired(bool required) returns()
func (securityToken *SecurityToken) TryPackSetTransferApprovalRequired(required bool) ([]byte, error) {
	return securityToken.abi.Pack("setTransferApprovalRequired", required)
}

// PackSupplyCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8f770ad0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function supplyCap() view returns(uint256)
func (securityToken *SecurityToken) PackSupplyCap() []byte {
	enc, err := securityToken.abi.Pack("supplyCap")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSupplyCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8f770ad0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function supplyCap() view returns(uint256)
func (securityToken *SecurityToken) TryPackSupplyCap() ([]byte, error) {
	return securityToken.abi.Pack("supplyCap")
}

// UnpackSupplyCap is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8f770ad0.
//
// Solidity: function supplyCap() view returns(uint256)
func (securityToken *SecurityToken) UnpackSupplyCap(data []byte) (*big.Int, error) {
	out, err := securityToken.abi.Unpack("supplyCap", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackSupportsInterface is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x01ffc9a7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (securityToken *SecurityToken) PackSupportsInterface(interfaceId [4]byte) []byte {
	enc, err := securityToken.abi.Pack("supportsInterface", interfaceId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSupportsInterface is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x01ffc9a7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (securityToken *SecurityToken) TryPackSupportsInterface(interfaceId [4]byte) ([]byte, error) {
	return securityToken.abi.Pack("supportsInterface", interfaceId)
}

// UnpackSupportsInterface is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (securityToken *SecurityToken) UnpackSupportsInterface(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("supportsInterface", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (securityToken *SecurityToken) PackSymbol() []byte {
	enc, err := securityToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (securityToken *SecurityToken) TryPackSymbol() ([]byte, error) {
	return securityToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (securityToken *SecurityToken) UnpackSymbol(data []byte) (string, error) {
	out, err := securityToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (securityToken *SecurityToken) PackTotalSupply() []byte {
	enc, err := securityToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (securityToken *SecurityToken) TryPackTotalSupply() ([]byte, error) {
	return securityToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (securityToken *SecurityToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := securityToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (securityToken *SecurityToken) PackTransfer(to common.Address, value *big.Int) []byte {
	enc, err := securityToken.abi.Pack("transfer", to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (securityToken *SecurityToken) TryPackTransfer(to common.Address, value *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("transfer", to, value)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (securityToken *SecurityToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferApproval is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x39c7c180.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferApproval(address from, address to, uint256 amount) view returns(uint40)
func (securityToken *SecurityToken) PackTransferApproval(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := securityToken.abi.Pack("transferApproval", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferApproval is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x39c7c180.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferApproval(address from, address to, uint256 amount) view returns(uint40)
func (securityToken *SecurityToken) TryPackTransferApproval(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("transferApproval", from, to, amount)
}

// UnpackTransferApproval is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x39c7c180.
//
// Solidity: function transferApproval(address from, address to, uint256 amount) view returns(uint40)
func (securityToken *SecurityToken) UnpackTransferApproval(data []byte) (*big.Int, error) {
	out, err := securityToken.abi.Unpack("transferApproval", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransferApprovalRequired is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6f3b993f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferApprovalRequired() view returns(bool)
func (securityToken *SecurityToken) PackTransferApprovalRequired() []byte {
	enc, err := securityToken.abi.Pack("transferApprovalRequired")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferApprovalRequired is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6f3b993f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferApprovalRequired() view returns(bool)
func (securityToken *SecurityToken) TryPackTransferApprovalRequired() ([]byte, error) {
	return securityToken.abi.Pack("transferApprovalRequired")
}

// UnpackTransferApprovalRequired is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6f3b993f.
//
// Solidity: function transferApprovalRequired() view returns(bool)
func (securityToken *SecurityToken) UnpackTransferApprovalRequired(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("transferApprovalRequired", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (securityToken *SecurityToken) PackTransferFrom(from common.Address, to common.Address, value *big.Int) []byte {
	enc, err := securityToken.abi.Pack("transferFrom", from, to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (securityToken *SecurityToken) TryPackTransferFrom(from common.Address, to common.Address, value *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("transferFrom", from, to, value)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (securityToken *SecurityToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := securityToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackUnfreezePartialTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1fe56f7d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unfreezePartialTokens(address wallet, uint256 amount) returns()
func (securityToken *SecurityToken) PackUnfreezePartialTokens(wallet common.Address, amount *big.Int) []byte {
	enc, err := securityToken.abi.Pack("unfreezePartialTokens", wallet, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnfreezePartialTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1fe56f7d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unfreezePartialTokens(address wallet, uint256 amount) returns()
func (securityToken *SecurityToken) TryPackUnfreezePartialTokens(wallet common.Address, amount *big.Int) ([]byte, error) {
	return securityToken.abi.Pack("unfreezePartialTokens", wallet, amount)
}

// PackUnpause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f4ba83a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unpause() returns()
func (securityToken *SecurityToken) PackUnpause() []byte {
	enc, err := securityToken.abi.Pack("unpause")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnpause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f4ba83a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unpause() returns()
func (securityToken *SecurityToken) TryPackUnpause() ([]byte, error) {
	return securityToken.abi.Pack("unpause")
}

// SecurityTokenAddressFrozen represents a AddressFrozen event raised by the SecurityToken contract.
type SecurityTokenAddressFrozen struct {
	UserAddress common.Address
	IsFrozen    bool
	Owner       common.Address
	Raw         *types.Log // Blockchain specific contextual infos
}

const SecurityTokenAddressFrozenEventName = "AddressFrozen"

// ContractEventName returns the user-defined event name.
func (SecurityTokenAddressFrozen) ContractEventName() string {
	return SecurityTokenAddressFrozenEventName
}

// UnpackAddressFrozenEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AddressFrozen(address indexed userAddress, bool indexed isFrozen, address indexed owner)
func (securityToken *SecurityToken) UnpackAddressFrozenEvent(log *types.Log) (*SecurityTokenAddressFrozen, error) {
	event := "AddressFrozen"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenAddressFrozen)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenApproval represents a Approval event raised by the SecurityToken contract.
type SecurityTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const SecurityTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (SecurityTokenApproval) ContractEventName() string {
	return SecurityTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (securityToken *SecurityToken) UnpackApprovalEvent(log *types.Log) (*SecurityTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenApproval)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenForcedTransfer represents a ForcedTransfer event raised by the SecurityToken contract.
type SecurityTokenForcedTransfer struct {
	From   common.Address
	To     common.Address
	Amount *big.Int
	Agent  common.Address
	Raw    *types.Log // Blockchain specific contextual infos
}

const SecurityTokenForcedTransferEventName = "ForcedTransfer"

// ContractEventName returns the user-defined event name.
func (SecurityTokenForcedTransfer) ContractEventName() string {
	return SecurityTokenForcedTransferEventName
}

// UnpackForcedTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ForcedTransfer(address indexed from, address indexed to, uint256 amount, address indexed agent)
func (securityToken *SecurityToken) UnpackForcedTransferEvent(log *types.Log) (*SecurityTokenForcedTransfer, error) {
	event := "ForcedTransfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenForcedTransfer)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenLockupEndSet represents a LockupEndSet event raised by the SecurityToken contract.
type SecurityTokenLockupEndSet struct {
	LockupEnd *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const SecurityTokenLockupEndSetEventName = "LockupEndSet"

// ContractEventName returns the user-defined event name.
func (SecurityTokenLockupEndSet) ContractEventName() string {
	return SecurityTokenLockupEndSetEventName
}

// UnpackLockupEndSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event LockupEndSet(uint40 lockupEnd)
func (securityToken *SecurityToken) UnpackLockupEndSetEvent(log *types.Log) (*SecurityTokenLockupEndSet, error) {
	event := "LockupEndSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenLockupEndSet)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenMaxHoldersSet represents a MaxHoldersSet event raised by the SecurityToken contract.
type SecurityTokenMaxHoldersSet struct {
	MaxHolders uint32
	Raw        *types.Log // Blockchain specific contextual infos
}

const SecurityTokenMaxHoldersSetEventName = "MaxHoldersSet"

// ContractEventName returns the user-defined event name.
func (SecurityTokenMaxHoldersSet) ContractEventName() string {
	return SecurityTokenMaxHoldersSetEventName
}

// UnpackMaxHoldersSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MaxHoldersSet(uint32 maxHolders)
func (securityToken *SecurityToken) UnpackMaxHoldersSetEvent(log *types.Log) (*SecurityTokenMaxHoldersSet, error) {
	event := "MaxHoldersSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenMaxHoldersSet)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenPaused represents a Paused event raised by the SecurityToken contract.
type SecurityTokenPaused struct {
	UserAddress common.Address
	Raw         *types.Log // Blockchain specific contextual infos
}

const SecurityTokenPausedEventName = "Paused"

// ContractEventName returns the user-defined event name.
func (SecurityTokenPaused) ContractEventName() string {
	return SecurityTokenPausedEventName
}

// UnpackPausedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Paused(address userAddress)
func (securityToken *SecurityToken) UnpackPausedEvent(log *types.Log) (*SecurityTokenPaused, error) {
	event := "Paused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenPaused)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenRecoverySuccess represents a RecoverySuccess event raised by the SecurityToken contract.
type SecurityTokenRecoverySuccess struct {
	LostWallet common.Address
	NewWallet  common.Address
	Agent      common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const SecurityTokenRecoverySuccessEventName = "RecoverySuccess"

// ContractEventName returns the user-defined event name.
func (SecurityTokenRecoverySuccess) ContractEventName() string {
	return SecurityTokenRecoverySuccessEventName
}

// UnpackRecoverySuccessEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RecoverySuccess(address indexed lostWallet, address indexed newWallet, address indexed agent)
func (securityToken *SecurityToken) UnpackRecoverySuccessEvent(log *types.Log) (*SecurityTokenRecoverySuccess, error) {
	event := "RecoverySuccess"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenRecoverySuccess)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenRoleAdminChanged represents a RoleAdminChanged event raised by the SecurityToken contract.
type SecurityTokenRoleAdminChanged struct {
	Role              [32]byte
	PreviousAdminRole [32]byte
	NewAdminRole      [32]byte
	Raw               *types.Log // Blockchain specific contextual infos
}

const SecurityTokenRoleAdminChangedEventName = "RoleAdminChanged"

// ContractEventName returns the user-defined event name.
func (SecurityTokenRoleAdminChanged) ContractEventName() string {
	return SecurityTokenRoleAdminChangedEventName
}

// UnpackRoleAdminChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)
func (securityToken *SecurityToken) UnpackRoleAdminChangedEvent(log *types.Log) (*SecurityTokenRoleAdminChanged, error) {
	event := "RoleAdminChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenRoleAdminChanged)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenRoleGranted represents a RoleGranted event raised by the SecurityToken contract.
type SecurityTokenRoleGranted struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const SecurityTokenRoleGrantedEventName = "RoleGranted"

// ContractEventName returns the user-defined event name.
func (SecurityTokenRoleGranted) ContractEventName() string {
	return SecurityTokenRoleGrantedEventName
}

// UnpackRoleGrantedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)
func (securityToken *SecurityToken) UnpackRoleGrantedEvent(log *types.Log) (*SecurityTokenRoleGranted, error) {
	event := "RoleGranted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenRoleGranted)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenRoleRevoked represents a RoleRevoked event raised by the SecurityToken contract.
type SecurityTokenRoleRevoked struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const SecurityTokenRoleRevokedEventName = "RoleRevoked"

// ContractEventName returns the user-defined event name.
func (SecurityTokenRoleRevoked) ContractEventName() string {
	return SecurityTokenRoleRevokedEventName
}

// UnpackRoleRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)
func (securityToken *SecurityToken) UnpackRoleRevokedEvent(log *types.Log) (*SecurityTokenRoleRevoked, error) {
	event := "RoleRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenRoleRevoked)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenSupplyCapSet represents a SupplyCapSet event raised by the SecurityToken contract.
type SecurityTokenSupplyCapSet struct {
	SupplyCap *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const SecurityTokenSupplyCapSetEventName = "SupplyCapSet"

// ContractEventName returns the user-defined event name.
func (SecurityTokenSupplyCapSet) ContractEventName() string {
	return SecurityTokenSupplyCapSetEventName
}

// UnpackSupplyCapSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SupplyCapSet(uint256 supplyCap)
func (securityToken *SecurityToken) UnpackSupplyCapSetEvent(log *types.Log) (*SecurityTokenSupplyCapSet, error) {
	event := "SupplyCapSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenSupplyCapSet)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenTokensFrozen represents a TokensFrozen event raised by the SecurityToken contract.
type SecurityTokenTokensFrozen struct {
	UserAddress common.Address
	Amount      *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const SecurityTokenTokensFrozenEventName = "TokensFrozen"

// ContractEventName returns the user-defined event name.
func (SecurityTokenTokensFrozen) ContractEventName() string {
	return SecurityTokenTokensFrozenEventName
}

// UnpackTokensFrozenEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TokensFrozen(address indexed userAddress, uint256 amount)
func (securityToken *SecurityToken) UnpackTokensFrozenEvent(log *types.Log) (*SecurityTokenTokensFrozen, error) {
	event := "TokensFrozen"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenTokensFrozen)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenTokensUnfrozen represents a TokensUnfrozen event raised by the SecurityToken contract.
type SecurityTokenTokensUnfrozen struct {
	UserAddress common.Address
	Amount      *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const SecurityTokenTokensUnfrozenEventName = "TokensUnfrozen"

// ContractEventName returns the user-defined event name.
func (SecurityTokenTokensUnfrozen) ContractEventName() string {
	return SecurityTokenTokensUnfrozenEventName
}

// UnpackTokensUnfrozenEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TokensUnfrozen(address indexed userAddress, uint256 amount)
func (securityToken *SecurityToken) UnpackTokensUnfrozenEvent(log *types.Log) (*SecurityTokenTokensUnfrozen, error) {
	event := "TokensUnfrozen"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenTokensUnfrozen)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenTransfer represents a Transfer event raised by the SecurityToken contract.
type SecurityTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const SecurityTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (SecurityTokenTransfer) ContractEventName() string {
	return SecurityTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (securityToken *SecurityToken) UnpackTransferEvent(log *types.Log) (*SecurityTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenTransfer)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenTransferApprovalRequiredSet represents a TransferApprovalRequiredSet event raised by the SecurityToken contract.
type SecurityTokenTransferApprovalRequiredSet struct {
	Required bool
	Raw      *types.Log // Blockchain specific contextual infos
}

const SecurityTokenTransferApprovalRequiredSetEventName = "TransferApprovalRequiredSet"

// ContractEventName returns the user-defined event name.
func (SecurityTokenTransferApprovalRequiredSet) ContractEventName() string {
	return SecurityTokenTransferApprovalRequiredSetEventName
}

// UnpackTransferApprovalRequiredSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TransferApprovalRequiredSet(bool required)
func (securityToken *SecurityToken) UnpackTransferApprovalRequiredSetEvent(log *types.Log) (*SecurityTokenTransferApprovalRequiredSet, error) {
	event := "TransferApprovalRequiredSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenTransferApprovalRequiredSet)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenTransferApproved represents a TransferApproved event raised by the SecurityToken contract.
type SecurityTokenTransferApproved struct {
	From   common.Address
	To     common.Address
	Amount *big.Int
	Expiry *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const SecurityTokenTransferApprovedEventName = "TransferApproved"

// ContractEventName returns the user-defined event name.
func (SecurityTokenTransferApproved) ContractEventName() string {
	return SecurityTokenTransferApprovedEventName
}

// UnpackTransferApprovedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TransferApproved(address indexed from, address indexed to, uint256 amount, uint40 expiry)
func (securityToken *SecurityToken) UnpackTransferApprovedEvent(log *types.Log) (*SecurityTokenTransferApproved, error) {
	event := "TransferApproved"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenTransferApproved)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SecurityTokenUnpaused represents a Unpaused event raised by the SecurityToken contract.
type SecurityTokenUnpaused struct {
	UserAddress common.Address
	Raw         *types.Log // Blockchain specific contextual infos
}

const SecurityTokenUnpausedEventName = "Unpaused"

// ContractEventName returns the user-defined event name.
func (SecurityTokenUnpaused) ContractEventName() string {
	return SecurityTokenUnpausedEventName
}

// UnpackUnpausedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Unpaused(address userAddress)
func (securityToken *SecurityToken) UnpackUnpausedEvent(log *types.Log) (*SecurityTokenUnpaused, error) {
	event := "Unpaused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != securityToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SecurityTokenUnpaused)
	if len(log.Data) > 0 {
		if err := securityToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range securityToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (securityToken *SecurityToken) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], securityToken.abi.Errors["AccessControlBadConfirmation"].ID.Bytes()[:4]) {
		return securityToken.UnpackAccessControlBadConfirmationError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["AccessControlUnauthorizedAccount"].ID.Bytes()[:4]) {
		return securityToken.UnpackAccessControlUnauthorizedAccountError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["BatchLengthMismatch"].ID.Bytes()[:4]) {
		return securityToken.UnpackBatchLengthMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["ERC20InsufficientAllowance"].ID.Bytes()[:4]) {
		return securityToken.UnpackERC20InsufficientAllowanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["ERC20InsufficientBalance"].ID.Bytes()[:4]) {
		return securityToken.UnpackERC20InsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["ERC20InvalidApprover"].ID.Bytes()[:4]) {
		return securityToken.UnpackERC20InvalidApproverError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["ERC20InvalidReceiver"].ID.Bytes()[:4]) {
		return securityToken.UnpackERC20InvalidReceiverError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["ERC20InvalidSender"].ID.Bytes()[:4]) {
		return securityToken.UnpackERC20InvalidSenderError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["ERC20InvalidSpender"].ID.Bytes()[:4]) {
		return securityToken.UnpackERC20InvalidSpenderError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["FreezeExceedsFreeBalance"].ID.Bytes()[:4]) {
		return securityToken.UnpackFreezeExceedsFreeBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["InvalidRecovery"].ID.Bytes()[:4]) {
		return securityToken.UnpackInvalidRecoveryError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["SupplyCapExceeded"].ID.Bytes()[:4]) {
		return securityToken.UnpackSupplyCapExceededError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["TransferRestricted"].ID.Bytes()[:4]) {
		return securityToken.UnpackTransferRestrictedError(raw[4:])
	}
	if bytes.Equal(raw[:4], securityToken.abi.Errors["UnfreezeExceedsFrozen"].ID.Bytes()[:4]) {
		return securityToken.UnpackUnfreezeExceedsFrozenError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// SecurityTokenAccessControlBadConfirmation represents a AccessControlBadConfirmation error raised by the SecurityToken contract.
type SecurityTokenAccessControlBadConfirmation struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlBadConfirmation()
func SecurityTokenAccessControlBadConfirmationErrorID() common.Hash {
	return common.HexToHash("0x6697b23232a647058342c0724fe7c415cab25915b54e5dbc03f233173d37b41c")
}

// UnpackAccessControlBadConfirmationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlBadConfirmation()
func (securityToken *SecurityToken) UnpackAccessControlBadConfirmationError(raw []byte) (*SecurityTokenAccessControlBadConfirmation, error) {
	out := new(SecurityTokenAccessControlBadConfirmation)
	if err := securityToken.abi.UnpackIntoInterface(out, "AccessControlBadConfirmation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenAccessControlUnauthorizedAccount represents a AccessControlUnauthorizedAccount error raised by the SecurityToken contract.
type SecurityTokenAccessControlUnauthorizedAccount struct {
	Account    common.Address
	NeededRole [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)
func SecurityTokenAccessControlUnauthorizedAccountErrorID() common.Hash {
	return common.HexToHash("0xe2517d3fbfae6f8515ef5ff1ccedc3933ab0cbbda0b492c06eb54ad10ef03b3e")
}

// UnpackAccessControlUnauthorizedAccountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)
func (securityToken *SecurityToken) UnpackAccessControlUnauthorizedAccountError(raw []byte) (*SecurityTokenAccessControlUnauthorizedAccount, error) {
	out := new(SecurityTokenAccessControlUnauthorizedAccount)
	if err := securityToken.abi.UnpackIntoInterface(out, "AccessControlUnauthorizedAccount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenBatchLengthMismatch represents a BatchLengthMismatch error raised by the SecurityToken contract.
type SecurityTokenBatchLengthMismatch struct {
	Wallets *big.Int
	Amounts *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BatchLengthMismatch(uint256 wallets, uint256 amounts)
func SecurityTokenBatchLengthMismatchErrorID() common.Hash {
	return common.HexToHash("0x81b5b207f4ceee88a305d93332dfd817c8615ec6ddd3c8ac2066f79411ad6c78")
}

// UnpackBatchLengthMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BatchLengthMismatch(uint256 wallets, uint256 amounts)
func (securityToken *SecurityToken) UnpackBatchLengthMismatchError(raw []byte) (*SecurityTokenBatchLengthMismatch, error) {
	out := new(SecurityTokenBatchLengthMismatch)
	if err := securityToken.abi.UnpackIntoInterface(out, "BatchLengthMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenERC20InsufficientAllowance represents a ERC20InsufficientAllowance error raised by the SecurityToken contract.
type SecurityTokenERC20InsufficientAllowance struct {
	Spender   common.Address
	Allowance *big.Int
	Needed    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)
func SecurityTokenERC20InsufficientAllowanceErrorID() common.Hash {
	return common.HexToHash("0xfb8f41b23e99d2101d86da76cdfa87dd51c82ed07d3cb62cbc473e469dbc75c3")
}

// UnpackERC20InsufficientAllowanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)
func (securityToken *SecurityToken) UnpackERC20InsufficientAllowanceError(raw []byte) (*SecurityTokenERC20InsufficientAllowance, error) {
	out := new(SecurityTokenERC20InsufficientAllowance)
	if err := securityToken.abi.UnpackIntoInterface(out, "ERC20InsufficientAllowance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenERC20InsufficientBalance represents a ERC20InsufficientBalance error raised by the SecurityToken contract.
type SecurityTokenERC20InsufficientBalance struct {
	Sender  common.Address
	Balance *big.Int
	Needed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)
func SecurityTokenERC20InsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xe450d38cd8d9f7d95077d567d60ed49c7254716e6ad08fc9872816c97e0ffec6")
}

// UnpackERC20InsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)
func (securityToken *SecurityToken) UnpackERC20InsufficientBalanceError(raw []byte) (*SecurityTokenERC20InsufficientBalance, error) {
	out := new(SecurityTokenERC20InsufficientBalance)
	if err := securityToken.abi.UnpackIntoInterface(out, "ERC20InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenERC20InvalidApprover represents a ERC20InvalidApprover error raised by the SecurityToken contract.
type SecurityTokenERC20InvalidApprover struct {
	Approver common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidApprover(address approver)
func SecurityTokenERC20InvalidApproverErrorID() common.Hash {
	return common.HexToHash("0xe602df05cc75712490294c6c104ab7c17f4030363910a7a2626411c6d3118847")
}

// UnpackERC20InvalidApproverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidApprover(address approver)
func (securityToken *SecurityToken) UnpackERC20InvalidApproverError(raw []byte) (*SecurityTokenERC20InvalidApprover, error) {
	out := new(SecurityTokenERC20InvalidApprover)
	if err := securityToken.abi.UnpackIntoInterface(out, "ERC20InvalidApprover", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenERC20InvalidReceiver represents a ERC20InvalidReceiver error raised by the SecurityToken contract.
type SecurityTokenERC20InvalidReceiver struct {
	Receiver common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidReceiver(address receiver)
func SecurityTokenERC20InvalidReceiverErrorID() common.Hash {
	return common.HexToHash("0xec442f055133b72f3b2f9f0bb351c406b178527de2040a7d1feb4e058771f613")
}

// UnpackERC20InvalidReceiverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidReceiver(address receiver)
func (securityToken *SecurityToken) UnpackERC20InvalidReceiverError(raw []byte) (*SecurityTokenERC20InvalidReceiver, error) {
	out := new(SecurityTokenERC20InvalidReceiver)
	if err := securityToken.abi.UnpackIntoInterface(out, "ERC20InvalidReceiver", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenERC20InvalidSender represents a ERC20InvalidSender error raised by the SecurityToken contract.
type SecurityTokenERC20InvalidSender struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidSender(address sender)
func SecurityTokenERC20InvalidSenderErrorID() common.Hash {
	return common.HexToHash("0x96c6fd1edd0cd6ef7ff0ecc0facdf53148dc0048b57fe58af65755250a7a96bd")
}

// UnpackERC20InvalidSenderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidSender(address sender)
func (securityToken *SecurityToken) UnpackERC20InvalidSenderError(raw []byte) (*SecurityTokenERC20InvalidSender, error) {
	out := new(SecurityTokenERC20InvalidSender)
	if err := securityToken.abi.UnpackIntoInterface(out, "ERC20InvalidSender", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenERC20InvalidSpender represents a ERC20InvalidSpender error raised by the SecurityToken contract.
type SecurityTokenERC20InvalidSpender struct {
	Spender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidSpender(address spender)
func SecurityTokenERC20InvalidSpenderErrorID() common.Hash {
	return common.HexToHash("0x94280d62c347d8d9f4d59a76ea321452406db88df38e0c9da304f58b57b373a2")
}

// UnpackERC20InvalidSpenderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidSpender(address spender)
func (securityToken *SecurityToken) UnpackERC20InvalidSpenderError(raw []byte) (*SecurityTokenERC20InvalidSpender, error) {
	out := new(SecurityTokenERC20InvalidSpender)
	if err := securityToken.abi.UnpackIntoInterface(out, "ERC20InvalidSpender", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenFreezeExceedsFreeBalance represents a FreezeExceedsFreeBalance error raised by the SecurityToken contract.
type SecurityTokenFreezeExceedsFreeBalance struct {
	Wallet common.Address
	Free   *big.Int
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error FreezeExceedsFreeBalance(address wallet, uint256 free, uint256 amount)
func SecurityTokenFreezeExceedsFreeBalanceErrorID() common.Hash {
	return common.HexToHash("0x44e19258da2dfaec7fe8de02ca208da0f183a4f2503134153cb8d0c5c0f36a37")
}

// UnpackFreezeExceedsFreeBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error FreezeExceedsFreeBalance(address wallet, uint256 free, uint256 amount)
func (securityToken *SecurityToken) UnpackFreezeExceedsFreeBalanceError(raw []byte) (*SecurityTokenFreezeExceedsFreeBalance, error) {
	out := new(SecurityTokenFreezeExceedsFreeBalance)
	if err := securityToken.abi.UnpackIntoInterface(out, "FreezeExceedsFreeBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenInvalidRecovery represents a InvalidRecovery error raised by the SecurityToken contract.
type SecurityTokenInvalidRecovery struct {
	LostWallet common.Address
	NewWallet  common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidRecovery(address lostWallet, address newWallet)
func SecurityTokenInvalidRecoveryErrorID() common.Hash {
	return common.HexToHash("0xbffba2aad5898b2bd350de44f4ec101111f415386ac685cd87e76ee6fea099f5")
}

// UnpackInvalidRecoveryError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidRecovery(address lostWallet, address newWallet)
func (securityToken *SecurityToken) UnpackInvalidRecoveryError(raw []byte) (*SecurityTokenInvalidRecovery, error) {
	out := new(SecurityTokenInvalidRecovery)
	if err := securityToken.abi.UnpackIntoInterface(out, "InvalidRecovery", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenSupplyCapExceeded represents a SupplyCapExceeded error raised by the SecurityToken contract.
type SecurityTokenSupplyCapExceeded struct {
	Supply *big.Int
	Max    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SupplyCapExceeded(uint256 supply, uint256 max)
func SecurityTokenSupplyCapExceededErrorID() common.Hash {
	return common.HexToHash("0x4b344b11eba23caa214c65adbd2869e50bd62099a66779a6776501f75116ec93")
}

// UnpackSupplyCapExceededError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SupplyCapExceeded(uint256 supply, uint256 max)
func (securityToken *SecurityToken) UnpackSupplyCapExceededError(raw []byte) (*SecurityTokenSupplyCapExceeded, error) {
	out := new(SecurityTokenSupplyCapExceeded)
	if err := securityToken.abi.UnpackIntoInterface(out, "SupplyCapExceeded", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenTransferRestricted represents a TransferRestricted error raised by the SecurityToken contract.
type SecurityTokenTransferRestricted struct {
	Code uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferRestricted(uint8 code)
func SecurityTokenTransferRestrictedErrorID() common.Hash {
	return common.HexToHash("0xe18ca2b9b451bf0dffa5160cc54e30c428dde179b65b354eee7185b6d097c2a1")
}

// UnpackTransferRestrictedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferRestricted(uint8 code)
func (securityToken *SecurityToken) UnpackTransferRestrictedError(raw []byte) (*SecurityTokenTransferRestricted, error) {
	out := new(SecurityTokenTransferRestricted)
	if err := securityToken.abi.UnpackIntoInterface(out, "TransferRestricted", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SecurityTokenUnfreezeExceedsFrozen represents a UnfreezeExceedsFrozen error raised by the SecurityToken contract.
type SecurityTokenUnfreezeExceedsFrozen struct {
	Wallet common.Address
	Frozen *big.Int
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnfreezeExceedsFrozen(address wallet, uint256 frozen, uint256 amount)
func SecurityTokenUnfreezeExceedsFrozenErrorID() common.Hash {
	return common.HexToHash("0xe0dfe97fc7c79f92ffcc46a2e29ea9d7ddbe9d44cc7593b8255f7b2eba5ddef6")
}

// UnpackUnfreezeExceedsFrozenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnfreezeExceedsFrozen(address wallet, uint256 frozen, uint256 amount)
func (securityToken *SecurityToken) UnpackUnfreezeExceedsFrozenError(raw []byte) (*SecurityTokenUnfreezeExceedsFrozen, error) {
	out := new(SecurityTokenUnfreezeExceedsFrozen)
	if err := securityToken.abi.UnpackIntoInterface(out, "UnfreezeExceedsFrozen", raw); err != nil {
		return nil, err
	}
	return out, nil
}
