import providerOrgs from '../../../../resources/mail-provider-orgs.json'

/**
 * Mail providers that run one infrastructure under several registrable domains (resources/mail-provider-orgs.json,
 * each family citing where the provider documents its host names): gmail.com, googlemail.com and google.com are one
 * receiving organisation, as are outlook.com and protection.outlook.com's office365.com. Read by the Received chain
 * (hops between them are internal), recorded authentication (whose authserv-id is the receiver's) and who-is-who.
 */
export interface ProviderFamily {
  name: string
  domains: string[]
  authResultsUnderReceived?: boolean
}

export const PROVIDER_FAMILIES: ProviderFamily[] = (
  providerOrgs as { families: ProviderFamily[] }
).families.map((f) => ({ ...f, domains: f.domains.map((d) => d.toLowerCase()) }))

/** The family an organisational domain belongs to, if any. */
export function familyOf(org: string | undefined): ProviderFamily | undefined {
  return org ? PROVIDER_FAMILIES.find((f) => f.domains.includes(org.toLowerCase())) : undefined
}
