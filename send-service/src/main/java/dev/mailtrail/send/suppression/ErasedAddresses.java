package dev.mailtrail.send.suppression;

/**
 * How an erased recipient's address is kept where the list must still know them (docs/design.md "Privacy"): a marker
 * and the salted hash of tenant and address, the same value the erased states hold. Implemented where the salt lives
 * (the projection's {@code RecipientPrivacy}), so the list depends on this contract, not on the projection.
 */
public interface ErasedAddresses {

    /** What an erase leaves of this tenant's (normalised) address. */
    String erasedAs(String tenantId, String address);
}
