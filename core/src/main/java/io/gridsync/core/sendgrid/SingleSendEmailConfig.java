package io.gridsync.core.sendgrid;

/** The {@code email_config} of a Single Send: content, sender and unsubscribe settings; any of them may be null. */
public record SingleSendEmailConfig(String subject, String htmlContent, String plainContent, Boolean generatePlainContent,
                                    String designId, String editor, Long suppressionGroupId, String customUnsubscribeUrl,
                                    Long senderId, String ipPool) {}
