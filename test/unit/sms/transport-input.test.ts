import { describe, expect, it } from 'vitest';
import { sendTextMessageInput } from '../../../shared/clients/eum-sender';
import { snsMessageAttributes } from '../../../shared/clients/sns-sender';

describe('SNS Publish attributes', () => {
  it('is always Transactional and sets a sender ID with the price cap', () => {
    // Act
    const attributes = snsMessageAttributes({
      transport: 'sns',
      region: 'eu-central-1',
      senderId: 'Suite',
      maxPrice: '0.05',
    });

    // Assess
    expect(attributes).toEqual({
      'AWS.SNS.SMS.SMSType': {
        DataType: 'String',
        StringValue: 'Transactional',
      },
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'Suite' },
      'AWS.SNS.SMS.MaxPrice': { DataType: 'Number', StringValue: '0.05' },
    });
  });

  it('never sends a sender ID and an origination number together', () => {
    // Act
    const attributes = snsMessageAttributes({
      transport: 'sns',
      region: 'us-east-1',
      senderId: 'Suite',
      originationNumber: '+18885550100',
    });

    // Assess
    expect(Object.keys(attributes)).toEqual([
      'AWS.SNS.SMS.SMSType',
      'AWS.SNS.SMS.SenderID',
    ]);
  });

  it('adds the India entity and template ids', () => {
    // Act
    const attributes = snsMessageAttributes({
      transport: 'sns',
      region: 'ap-south-1',
      senderId: 'SUITEIN',
      entityId: 'E1',
      templateId: 'T1',
    });

    // Assess
    expect(attributes['AWS.MM.SMS.EntityId']?.StringValue).toBe('E1');
    expect(attributes['AWS.MM.SMS.TemplateId']?.StringValue).toBe('T1');
  });
});

describe('End User Messaging SendTextMessage input', () => {
  it('sends TRANSACTIONAL with TTL, identity, set, protect configuration, price and India parameters', () => {
    // Act
    const input = sendTextMessageInput(
      { phoneNumber: '+919876543210', text: 'Your code is 123456' },
      {
        transport: 'end-user-messaging',
        region: 'ap-south-1',
        identity: { type: 'sender-id', id: 'SUITEIN' },
        configurationSetName: 'otp',
        protectConfigurationId: 'protect-1',
        maxPrice: '0.05',
        timeToLiveSeconds: 300,
        invitationTimeToLiveSeconds: 86400,
        entityId: 'E1',
        templateId: 'T1',
      },
      false,
    );

    // Assess
    expect(input).toEqual({
      DestinationPhoneNumber: '+919876543210',
      MessageBody: 'Your code is 123456',
      MessageType: 'TRANSACTIONAL',
      TimeToLive: 300,
      OriginationIdentity: 'SUITEIN',
      MaxPrice: '0.05',
      ConfigurationSetName: 'otp',
      ProtectConfigurationId: 'protect-1',
      DestinationCountryParameters: {
        IN_ENTITY_ID: 'E1',
        IN_TEMPLATE_ID: 'T1',
      },
    });
  });

  it('asks for a dry run only in dry-run mode', () => {
    // Prepare
    const route = {
      transport: 'end-user-messaging',
      region: 'eu-central-1',
      timeToLiveSeconds: 300,
      invitationTimeToLiveSeconds: 86400,
    } as const;

    // Act
    const dry = sendTextMessageInput(
      { phoneNumber: '+447700900123', text: 'x' },
      route,
      true,
    );
    const real = sendTextMessageInput(
      { phoneNumber: '+447700900123', text: 'x' },
      route,
      false,
    );

    // Assess
    expect(dry.DryRun).toBe(true);
    expect(real.DryRun).toBeUndefined();
    expect(real.OriginationIdentity).toBeUndefined();
  });
});
