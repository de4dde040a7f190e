// Headshot on Azure: App Service (Linux, Node 20) + Azure Bot (Teams channel) + Storage +
// Application Insights (workspace-based) + managed identity.
// Deploy: az deployment group create -g <rg> -f infra/main.bicep -p @infra/main.parameters.json
// See docs/deploy-azure.md for the whole procedure (app registration, consent, app package).

targetScope = 'resourceGroup'

@description('Short name used for every resource (letters and digits, 3-16).')
@minLength(3)
@maxLength(16)
param name string = 'headshot'

@description('Region for App Service, Storage and monitoring (the bot resource is global).')
param location string = resourceGroup().location

@description('Entra ID tenant id (single-tenant app).')
param tenantId string = subscription().tenantId

@description('How the bot and Graph calls authenticate: an app registration with a secret or certificate (SingleTenant), or a user-assigned managed identity (UserAssignedMSI; no secret anywhere).')
@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param appType string = 'SingleTenant'

@description('Client id of the Entra app registration (SingleTenant). Ignored for UserAssignedMSI.')
param appId string = ''

@description('Client secret of the app registration (SingleTenant, when no certificate is used). Stored as an App Service setting; prefer a Key Vault reference in production.')
@secure()
param appPassword string = ''

@description('Path on the App Service file system of a PEM (private key + certificate) registered on the app; needed for SharePoint features. Upload it to /home/site/certs (see docs/deploy-azure.md).')
param certificatePath string = ''

@description('At least 32 random characters; signs the upload page links.')
@secure()
@minLength(32)
param uploadTicketSecret string

@description('SharePoint My Site Host, e.g. https://contoso-my.sharepoint.com (optional; requires a certificate or managed identity).')
param sharePointMySiteUrl string = ''

@description('Headshot app id in the Teams app catalog (for installing the bot for approvers; optional).')
param teamsAppId string = ''

@description('App Service plan SKU: P0v3 or larger (Premium v3 runs several instances and zone redundancy).')
param planSku string = 'P0v3'

@description('Service instances (two or more: a restart, a slot swap or a zone outage leaves one serving).')
@minValue(2)
param instanceCount int = 2

@description('Spread the instances over availability zones (needs three or more instances and a region with zones).')
param zoneRedundant bool = false

@description('Azure Database for PostgreSQL flexible server compute (Burstable B1ms is enough for ~100,000 people).')
param postgresSku string = 'Standard_B1ms'

@description('Its tier: Burstable, GeneralPurpose or MemoryOptimized (zone-redundant HA needs GeneralPurpose or more).')
param postgresTier string = 'Burstable'

@description('PostgreSQL high availability: Disabled, SameZone or ZoneRedundant (not on Burstable).')
@allowed([
  'Disabled'
  'SameZone'
  'ZoneRedundant'
])
param postgresHa string = 'Disabled'

@description('Azure Bot SKU: F0 (free, standard channels) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

var suffix = uniqueString(resourceGroup().id, name)
var siteName = '${name}-${suffix}'
var hostName = '${siteName}.azurewebsites.net'
var useMsi = appType == 'UserAssignedMSI'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = if (useMsi) {
  name: '${name}-id-${suffix}'
  location: location
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${name}-logs-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: take(toLower(replace('${name}${suffix}', '-', '')), 24)
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: true
  }
}

// Exports and the SQLite file of a migrated single-machine install land here (docs/deploy-azure.md).
resource backups 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = {
  name: '${storage.name}/default/headshot-backups'
  properties: { publicAccess: 'None' }
}

// The store of every instance: PostgreSQL with Entra authentication only (no password anywhere), TLS required.
var postgresName = '${name}-pg-${suffix}'
resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: postgresName
  location: location
  sku: { name: postgresSku, tier: postgresTier }
  properties: {
    version: '16'
    storage: { storageSizeGB: 32, autoGrow: 'Enabled' }
    authConfig: { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled', tenantId: tenantId }
    highAvailability: { mode: postgresHa }
    backup: { backupRetentionDays: 14, geoRedundantBackup: 'Disabled' }
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: 'headshot'
  properties: { charset: 'UTF8', collation: 'en_US.utf8' }
}

// App Service reaches the server over Azure's network; a VNet with private access is the stricter option (docs).
resource postgresFromAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

// The app signs in to PostgreSQL as its managed identity (the user-assigned one with UserAssignedMSI, else the site's).
var dbPrincipalName = useMsi ? identity!.name : siteName

resource plan 'Microsoft.Web/serverfarms@2023-01-01' = {
  name: '${name}-plan-${suffix}'
  location: location
  kind: 'linux'
  sku: { name: planSku, capacity: instanceCount }
  properties: { reserved: true, zoneRedundant: zoneRedundant }
}

var commonSettings = [
  { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
  { name: 'HOST', value: '0.0.0.0' }
  { name: 'PUBLIC_BASE_URL', value: 'https://${hostName}' }
  // Local disk: nothing of the store lives here (it is PostgreSQL); never SQLite on the /home SMB share.
  { name: 'DATA_DIR', value: '/tmp/headshot' }
  { name: 'DATABASE_URL', value: 'postgres://${dbPrincipalName}@${postgresName}.postgres.database.azure.com:5432/headshot?sslmode=require' }
  { name: 'DATABASE_ENTRA_AUTH', value: 'true' }
  { name: 'LOG_LEVEL', value: 'info' }
  // glibc keeps one malloc arena per thread; libvips' threads fragment them (sharp's docs): two arenas hold
  // the service 23-27% lower after 20 photos (bench/allocator.sh). App settings are the process's environment.
  { name: 'MALLOC_ARENA_MAX', value: '2' }
  { name: 'MicrosoftAppTenantId', value: tenantId }
  { name: 'MicrosoftAppType', value: appType }
  { name: 'UPLOAD_TICKET_SECRET', value: uploadTicketSecret }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  { name: 'SHAREPOINT_MYSITE_URL', value: sharePointMySiteUrl }
  { name: 'TEAMS_APP_ID', value: teamsAppId }
]
var appSettings = useMsi
  ? concat(commonSettings, [
      { name: 'MicrosoftAppId', value: identity!.properties.clientId }
    ])
  : concat(commonSettings, [
      { name: 'MicrosoftAppId', value: appId }
      { name: 'MicrosoftAppPassword', value: appPassword }
      { name: 'MicrosoftAppCertificatePath', value: certificatePath }
    ])

resource site 'Microsoft.Web/sites@2023-01-01' = {
  name: siteName
  location: location
  kind: 'app,linux'
  identity: useMsi
    ? {
        type: 'SystemAssigned, UserAssigned'
        userAssignedIdentities: { '${identity.id}': {} }
      }
    : { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      // The newest Node LTS App Service Linux offers (README, "Runtime").
      linuxFxVersion: 'NODE|24-lts'
      // Oryx builds on deploy (npm install + npm run build); start without rebuilding.
      appCommandLine: 'npm run start:prod'
      alwaysOn: planSku != 'F1'
      // Ready means the database answers and a Graph token can be had; an instance that is not leaves the rotation.
      healthCheckPath: '/readyz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: appSettings
    }
  }
}

resource postgresAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: postgres
  name: useMsi ? identity!.properties.principalId : site.identity.principalId
  properties: {
    principalType: 'ServicePrincipal'
    principalName: dbPrincipalName
    tenantId: tenantId
  }
  dependsOn: [postgresDatabase, postgresFromAzure]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: 'Headshot'
    endpoint: 'https://${hostName}/api/messages'
    msaAppId: useMsi ? identity!.properties.clientId : appId
    msaAppTenantId: tenantId
    msaAppType: appType
    msaAppMSIResourceId: useMsi ? identity.id : null
    developerAppInsightsApplicationId: insights.properties.AppId
    disableLocalAuth: false
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output webAppName string = site.name
output publicBaseUrl string = 'https://${hostName}'
output messagingEndpoint string = 'https://${hostName}/api/messages'
output botAppId string = useMsi ? identity!.properties.clientId : appId
output managedIdentityPrincipalId string = useMsi ? identity!.properties.principalId : site.identity.principalId
output storageAccountName string = storage.name
output postgresServer string = '${postgresName}.postgres.database.azure.com'

// For the Microsoft 365 Agents Toolkit (m365agents.yml, arm/deploy): outputs named as its environment variables.
output BOT_DOMAIN string = hostName
output BOT_ENDPOINT string = 'https://${hostName}'
output AZURE_APP_SERVICE_RESOURCE_ID string = site.id
